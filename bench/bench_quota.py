"""Export of the UWEC drafts into the sandbox Jira under its points-based stand-in: an hourly quota per app
and site that runs out twice in the middle of the export (the "hour" is a few seconds here), answered as
Jira documents it (Beta-RateLimit headers and near-limit flags on every answer, 429 with a long Retry-After
and `RateLimit-Reason: jira-quota-tenant-based` once used up). Real actor, embedded in-process worker.

First the same export without the quota, for its wall time and its request count (N). The quota is then
set to about N / 2.5 points, so the export needs k = ceil(N / quota) windows. The floor the quota allows is
(k - 1) windows (no schedule sends N requests before k - 1 resets have passed) plus the unthrottled time of
the requests left for the last window (N - (k - 1) x quota of them, at the unthrottled export's rate).
Two runs under the quota: `quota` without the beta headers (as on sites outside Jira's beta: the quota runs
out with a 429 and the export waits for the reset, saying so in the run's message), and `quota_beta` with
them (the near-limit answers spread the last fifth of each window's points over the rest of the window, so
the export slows down instead of stopping). For each: wall time, floor, their ratio (target <= 1.3), how
often the run said it was waiting, the 429s, and duplicates and missing drafts (target 0).
"""

from __future__ import annotations

import asyncio
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._utils import Stopwatch
from tests.jobs.world import World, open_sandbox, uwec_drafts

WINDOW_S = 10.0
WINDOWS = 2.5  # the quota is this fraction of the export's requests: it runs out twice


def export(drafts: list, quota: dict[str, Any] | None) -> dict[str, Any]:
    from jobs import embedded, throttle
    from jobs.export import export_batch

    with tempfile.TemporaryDirectory(prefix="bench-quota-") as tmp:
        site = open_sandbox(Path(tmp) / "sandbox")
        try:
            world = World(data_dir=Path(tmp), site=site)
            world.install()
            site.settings(links_at_creation=False)  # every link a request of its own: the most requests
            throttle.forget()
            asyncio.run(embedded.start(world.config()))
            said: list[str] = []

            def note(run: Any) -> bool:
                if "hourly limit" in (run.message or "") and run.message not in said:
                    said.append(run.message)
                return run.finished

            try:
                if quota:
                    site.fault(kind="quota", **quota)
                batch_id, run_id = world.approved_batch(drafts)  # after the boot: see bench_export
                with Stopwatch() as watch:
                    export_batch.send(world.tenant_id, batch_id, run_id)
                    run = world.wait(run_id, until=note, timeout_s=600)
            finally:
                asyncio.run(embedded.stop())
            if run.status != "succeeded":
                raise SystemExit(f"bench_quota: the export did not succeed: {run.message} {run.errors}")
            stats = site.stats()
            found = site.issues_by_draft(batch_id)
            limited = sum(r["statuses"].get("429", 0) for r in stats["requests"].values())
            return {
                "wall": watch.seconds,
                "served": stats["total_requests"] - limited,
                "rate_limited": limited,
                "duplicates": sum(len(v) - 1 for v in found.values() if len(v) > 1),
                "missing": sum(1 for d in drafts if d.key not in found),
                "said": said,
            }
        finally:
            site.close()


def main() -> int:
    import logging

    logging.basicConfig(level=logging.WARNING)
    drafts = uwec_drafts()
    free = export(drafts, None)
    points = math.ceil(free["served"] / WINDOWS)
    print(
        f"# {len(drafts)} UWEC drafts, links made afterwards: {free['served']} requests unthrottled in "
        f"{free['wall']:.2f} s; quota {points} points per {WINDOW_S:g} s window"
    )
    ok = True
    for name, beta in (("quota", False), ("quota_beta", True)):
        limited = export(drafts, {"points": points, "window": WINDOW_S, "beta_headers": beta})
        windows = math.ceil(limited["served"] / points)
        left = limited["served"] - (windows - 1) * points
        floor = (windows - 1) * WINDOW_S + free["wall"] * left / free["served"]
        ratio = limited["wall"] / floor
        print(f"# {name}: {limited['served']} requests served, {windows} windows needed")
        for message in limited["said"]:
            print(f"# {name} run message: {message}")
        print(f"BENCH export_{name}_wall {limited['wall']:.2f} s")
        print(f"BENCH export_{name}_floor {floor:.2f} s")
        print(f"BENCH export_{name}_vs_floor {ratio:.2f} x")
        print(f"BENCH export_{name}_429 {limited['rate_limited']} responses")
        print(f"BENCH export_{name}_said_waiting {len(limited['said'])} messages")
        print(f"BENCH export_{name}_duplicates {limited['duplicates']} issues")
        print(f"BENCH export_{name}_missing {limited['missing']} drafts")
        ok = ok and ratio <= 1.3 and limited["duplicates"] == limited["missing"] == 0
        ok = ok and (beta or bool(limited["said"]))
    print(
        "# targets: <= 1.3x the floor, no duplicates, none missing, the quota wait said (without beta "
        f"headers): {'met' if ok else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
