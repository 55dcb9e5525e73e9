"""Helpers shared by the actors: the message being processed and its retry bookkeeping."""

from __future__ import annotations

from typing import Any

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
