"""Worker boot: the process's event loop gets a thread pool as wide as the worker threads it serves.

Actors hand blocking work (planning, Jira calls through the rate gate) to `asyncio.to_thread`, which uses the
loop's default executor. asyncio sizes that from the CPU count (6 threads on a 2-core box), so a process run
with `--threads 8` would still run at most about 6 exports at once and queue the rest behind them.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware

# beside one slot per worker thread: the store's file lock and the retention chain wait in the pool too
SPARE_THREADS = 4


def executor_size(worker_threads: int) -> int:
    return worker_threads + SPARE_THREADS


class ExecutorSize(Middleware):
    def after_worker_boot(self, broker: Any, worker: Any) -> None:
        loop_thread = get_event_loop_thread()
        if loop_thread is None:
            raise RuntimeError("the AsyncIO middleware must come before ExecutorSize")
        pool = ThreadPoolExecutor(
            max_workers=executor_size(worker.worker_threads), thread_name_prefix="actor-io"
        )
        loop_thread.loop.call_soon_threadsafe(loop_thread.loop.set_default_executor, pool)
