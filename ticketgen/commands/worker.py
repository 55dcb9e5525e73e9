"""`ticketgen worker`: the production job workers (Dramatiq on Redis), same as
`dramatiq jobs.actors --processes N --threads M`. Without REDIS_URL there is nothing to consume: the
embedded default runs its worker inside `ticketgen serve` / `ticketgen sandbox`."""

from __future__ import annotations

import argparse
import os
import sys

PREFETCH_ENV = "dramatiq_queue_prefetch"  # Dramatiq's own name, read by each worker process


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--processes", type=int, default=int(os.environ.get("WORKER_PROCESSES", "2")),
                        help="worker processes (default 2)")  # fmt: skip
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WORKER_THREADS", "4")),
                        help="threads per process (default 4)")  # fmt: skip
    parser.add_argument("--queues", nargs="*", default=None,
                        help="only these queues (drafts exports notify maintenance; default all)")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    if not os.environ.get("REDIS_URL", "").strip():
        print(
            "ticketgen worker: set REDIS_URL (without it, jobs run inside `ticketgen serve`)", file=sys.stderr
        )
        return 2
    if args.processes < 1 or args.threads < 1:
        print("ticketgen worker: --processes and --threads must be at least 1", file=sys.stderr)
        return 2
    argv = [sys.executable, "-m", "dramatiq", "jobs.actors", "--processes", str(args.processes),
            "--threads", str(args.threads)]  # fmt: skip
    if args.queues:
        argv += ["--queues", *args.queues]
    # Dramatiq's Redis consumer prefetches 2 × threads messages: the first process to poll would hold every
    # waiting export while the others sit idle. One message per thread spreads them across processes.
    os.environ.setdefault(PREFETCH_ENV, str(args.threads))
    os.execv(sys.executable, argv)  # the dramatiq CLI handles signals, restarts and logging from here
    return 0  # not reached
