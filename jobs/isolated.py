"""Spec parsing, checking and planning in a child process with memory and time limits.

The web process (and a worker's other actors) never hold a batch's parse: the child gets the file bytes,
sends back a bounded summary (findings capped, drafts bounded) and exits, so whatever it allocated is given
back to the system. A child over its address-space limit gets a MemoryError, one past its time is killed;
either way the caller gets `TooCostly` with a message for the user and the server carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

log = logging.getLogger("jobs.isolated")
T = TypeVar("T")
MEMORY_LIMIT_MB = 1024  # address space of the child; a 2 MB file of junk rows peaks near 120 MB
TIME_LIMIT_S = 90.0
_PRELOAD = ["ticketgen.spec", "ticketgen.planner", "ticketgen.review", "jobs.preload"]


class TooCostly(Exception):
    """The work went past the child's memory or time limit; the message is for the user."""


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def _child(conn: Connection, func: Callable[..., Any], args: tuple, kwargs: dict, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        conn.send(("ok", func(*args, **kwargs)))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


async def run_isolated(
    func: Callable[..., T],
    *args: Any,
    memory_mb: int = MEMORY_LIMIT_MB,
    time_limit_s: float = TIME_LIMIT_S,
    **kwargs: Any,
) -> T:
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, func, args, kwargs, memory_mb), daemon=True)
    await asyncio.to_thread(child.start)
    sender.close()
    try:
        if not await asyncio.to_thread(receiver.poll, time_limit_s):
            raise TooCostly(
                f"Reading the spec took longer than {time_limit_s:.0f} s, the limit; upload it in smaller "
                "batches."
            )
        status, result = await asyncio.to_thread(receiver.recv)
    except EOFError as exc:  # the child died without a word: killed for memory by the system
        raise TooCostly(_memory_message(memory_mb)) from exc
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        await asyncio.to_thread(child.join, 10)
        with contextlib.suppress(ValueError):
            child.close()
    if status == "memory":
        raise TooCostly(_memory_message(memory_mb))
    if status == "error":
        raise RuntimeError(f"the isolated {func.__name__} failed: {result}")
    return result  # type: ignore[no-any-return]


def _memory_message(memory_mb: int) -> str:
    return (
        f"Reading the spec needed more than {memory_mb} MB, the limit for one batch; upload it in smaller "
        "batches."
    )
