"""The worst-case upload (issue 13, defect 1): a 2 MB file of junk rows and a 2 MB file of valid bundle rows,
each checked the way an upload is (in the isolated child, with its memory and time limits), and planning at
the drafts bound (2,000 content types). Prints rows/s over the file's rows, wall time, and the peak RSS of
the child that did the work and of this (the server's) process.

    .venv/bin/python bench/bench_upload.py [--runs N]
"""

from __future__ import annotations

import asyncio
import resource
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _utils import Stopwatch, bundle_rows_csv, junk_rows_csv, parse_runs

from jobs.isolated import run_isolated
from ticketgen.codes import DEFAULT_CODES
from ticketgen.planner.batch import plan_batch
from ticketgen.spec.limits import MAX_DRAFTS
from ticketgen.spec.summary import check


def measured(work: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Runs in the child: the work's result and the child's own peak RSS in MB."""
    result = work(*args, **kwargs)
    return result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def own_peak_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(x for x in status.splitlines() if x.startswith("VmHWM:")).split()[1]) / 1024


async def timed(runs: int, work: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    seconds, peaks, result = [], [], None
    for _ in range(runs):
        with Stopwatch() as watch:
            result, peak = await run_isolated(measured, work, *args, **kwargs)
        seconds.append(watch.seconds)
        peaks.append(peak)
    return result, statistics.median(seconds), max(peaks)


async def main() -> None:
    runs = parse_runs(__doc__, default=3)
    for name, data in (("junk", junk_rows_csv()), ("valid", bundle_rows_csv())):
        rows = data.count(b"\n") - 1
        summary, seconds, peak = await timed(runs, check, [(f"{name}.csv", data)])
        read = summary.files[0].row_count
        print(f"{name}: {len(data) / 1024 / 1024:.1f} MB, {rows:,} rows, {read:,} read, "
              f"{len(summary.findings)} findings")  # fmt: skip
        print(f"BENCH upload_{name}_2mb_s {seconds:.2f} s")
        print(f"BENCH upload_{name}_2mb_rows_per_s {rows / seconds:.0f} rows/s")
        print(f"BENCH upload_{name}_2mb_peak_rss {peak:.0f} MB")
    bundles = bundle_rows_csv(1024 * 1024)
    lines = bundles.split(b"\n")
    at_bound = b"\n".join(lines[: MAX_DRAFTS + 1]) + b"\n"
    kwargs = {"codes": DEFAULT_CODES, "overrides": {}, "labels": ()}
    planned, seconds, peak = await timed(max(runs // 3, 1), plan_batch, [("bundles.csv", at_bound)], **kwargs)
    assert planned.refused is None and len(planned.drafts) == MAX_DRAFTS, planned.refused
    print(f"BENCH plan_{MAX_DRAFTS}_drafts_s {seconds:.2f} s")
    print(f"BENCH plan_{MAX_DRAFTS}_drafts_peak_rss {peak:.0f} MB")
    print(f"BENCH upload_server_peak_rss {own_peak_mb():.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
