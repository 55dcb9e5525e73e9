"""`ticketgen worker` spreads waiting exports across processes and lets each process run as many exports as it
has threads (issue 17: prefetch hoarding and the CPU-sized executor)."""

from __future__ import annotations

import argparse
import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import dramatiq
import pytest
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO

from jobs.executor import ExecutorSize, executor_size
from ticketgen.commands import worker


def _args(**given: object) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    worker.configure(parser)
    return parser.parse_args([f"--{k}={v}" for k, v in given.items()])


def test_the_worker_prefetches_one_message_per_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.delenv(worker.PREFETCH_ENV, raising=False)
    monkeypatch.setattr(os, "execv", lambda _exe, argv: started.append(argv))
    assert worker.run(_args(processes=3, threads=7)) == 0
    assert started[0][2:] == ["dramatiq", "jobs.actors", "--processes", "3", "--threads", "7"]
    assert os.environ[worker.PREFETCH_ENV] == "7"


def test_an_operators_own_prefetch_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv(worker.PREFETCH_ENV, "1")
    monkeypatch.setattr(os, "execv", lambda _exe, _argv: None)
    worker.run(_args(threads=7))
    assert os.environ[worker.PREFETCH_ENV] == "1"


def test_without_redis_the_worker_refuses_in_words(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert worker.run(_args()) == 2
    assert "set REDIS_URL" in capsys.readouterr().err


def test_each_process_gets_a_thread_pool_as_wide_as_its_threads() -> None:
    broker = StubBroker()
    broker.add_middleware(AsyncIO())
    broker.add_middleware(ExecutorSize())
    threads = 9  # more than asyncio's default pool on a 2-core machine (6)
    w = dramatiq.Worker(broker, worker_threads=threads)
    w.start()
    try:
        loop_thread = get_event_loop_thread()
        assert loop_thread is not None

        async def default_pool() -> ThreadPoolExecutor:
            return loop_thread.loop._default_executor  # type: ignore[attr-defined]

        pool = loop_thread.run_coroutine(default_pool())  # runs after the boot callback that set it
        assert isinstance(pool, ThreadPoolExecutor)
        assert pool._max_workers == executor_size(threads) == threads + 4

        async def concurrent_blocking_calls(n: int) -> int:
            import threading

            barrier = threading.Barrier(n, timeout=10)
            await asyncio.gather(*(asyncio.to_thread(barrier.wait) for _ in range(n)))
            return n

        # every worker thread's export can be inside a blocking call at once
        assert loop_thread.run_coroutine(concurrent_blocking_calls(threads)) == threads
    finally:
        w.stop()
