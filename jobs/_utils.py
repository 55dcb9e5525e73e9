"""Helpers shared by the actors: the message being processed and its retry bookkeeping, and the windows
of concurrent requests an export pass sends."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from dramatiq.middleware import CurrentMessage

from jobs import context
from jobs.lease import leases


def current_options() -> dict[str, Any]:
    """The options of the message being processed (mutable: they travel with a retry)."""
    message = CurrentMessage.get_current_message()
    return message.options if message is not None else {}


def batch_leases() -> Any:
    return leases(context.redis(), f"{context.settings().namespace}:lease:")


def temporary_streak(*, reset: bool = False) -> int:
    """Temporary failures in a row for this message, counting the current one (0 after progress)."""
    options = current_options()
    streak = 0 if reset else int(options.get("temporary_streak", 0)) + 1
    options["temporary_streak"] = streak
    return streak


T = TypeVar("T")


async def in_windows(
    items: Sequence[T],
    size: int,
    each: Callable[[T], Awaitable[None]],
    *,
    before: Callable[[list[T], int], Awaitable[None]],
) -> None:
    """`each` on `size` items at once (the tenant gate paces the requests they send), `before` each window
    with the window and how many items are done by its end. A failure is raised only once every item of its
    window has its answer, and so its record: none is left sent but unrecorded."""
    for start in range(0, len(items), size):
        window = list(items[start : start + size])
        await before(window, start + len(window))
        answers = await asyncio.gather(*(each(item) for item in window), return_exceptions=True)
        if stop := next((a for a in answers if isinstance(a, BaseException)), None):
            raise stop
