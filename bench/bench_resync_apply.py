"""Applying a re-sync plan of 20 changes to issues already in the sandbox Jira (issue 15), through the export
actor on the embedded in-process worker, with the pacing bench_export.py measures against: 100 ms per
request, a burst limit of 10 req/s answered with 429 + Retry-After.

The plan is a realistic mix of 20 changes: 12 issues edited (their story revised), 4 already Done in Jira (a
comment and the `spec-changed` label each), 2 no longer in the spec (a comment and `removed-from-spec`) and 2
new drafts (created, linked to existing issues). The first export and the plan are set up without the
pacing; only the apply is timed. The rate-limit floor is computed as bench_export.py computes its own: the
requests the sandbox served for the apply ÷ 10 req/s (target: at most 1.3× the floor); the same less the
full bucket's first 10 requests is printed too, the stricter bound for a run of a few dozen requests.

    .venv/bin/python bench/bench_resync_apply.py
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._utils import Stopwatch
from tests.jobs.world import PROJECT, World, open_sandbox, synthetic_drafts

EXPORTED = 40
EDITED, DONE, REMOVED, NEW = 12, 4, 2, 2  # 20 changes
LATENCY_S = 0.1
RATE = 10  # requests per second, burst 10
TARGET = 1.3


def revised(drafts: list) -> tuple[list, list[str]]:
    """The spec revised: drafts 0..15 changed (12..15 to be Done in Jira), the last two of the export gone,
    two drafts new, each blocked by an existing issue. Returns the drafts and the keys to move to Done."""
    new = list(drafts[: EXPORTED - REMOVED])
    for i in range(EDITED + DONE):
        new[i] = dataclasses.replace(new[i], user_story=new[i].user_story + " Revised for the re-sync.")
    for i in range(NEW):
        extra = drafts[EXPORTED + i]
        new.append(dataclasses.replace(extra, depends_on=[drafts[i].key]))
    return new, [d.key for d in drafts[EDITED : EDITED + DONE]]


def apply(drafts: list) -> dict[str, float]:
    from jobs import embedded, throttle
    from jobs.export import export_batch
    from tests.jobs.test_resync import DONE as DONE_STATUS
    from tests.jobs.test_resync import jira_edit, make_plan, uploaded

    with tempfile.TemporaryDirectory(prefix="bench-resync-") as tmp:
        site = open_sandbox(Path(tmp) / "sandbox")
        try:
            world = World(data_dir=Path(tmp), site=site)
            world.install()
            site.settings(index_delay_s=0, index_lag_s=0, links_at_creation=False)
            throttle.forget()
            asyncio.run(embedded.start(world.config()))
            try:
                first, run_id = world.approved_batch(drafts[:EXPORTED])
                export_batch.send(world.tenant_id, first, run_id)
                if (run := world.wait(run_id, timeout_s=300)).status != "succeeded":
                    raise SystemExit(f"bench_resync_apply: the first export failed: {run.message}")
                new, finished = revised(drafts)
                issues = site.issues_by_draft(first)
                for key in finished:
                    jira_edit(world, issues[key][0].key, status=DONE_STATUS)
                plan = make_plan(world, uploaded(world, new))
                assert plan is not None and not plan.conflicts
                counts = plan.counts()
                changes = counts["changed"] + counts["new"] + counts["removed"]
                if changes != EDITED + DONE + REMOVED + NEW:
                    raise SystemExit(f"bench_resync_apply: the plan has {changes} changes, not 20: {counts}")
                batch_id, _ = world.approved_batch(new, run=False, existing_issues="resync")
                world.db(lambda s: s.set_resync_plan(world.tenant_id, batch_id, plan.to_json()))
                run_id = world.db(
                    lambda s: s.create_run(world.tenant_id, batch_id, "export", created_by="b")
                ).id
                before = site.stats()["requests"]  # the set-up's requests, left out of the figures
                site.fault(kind="latency", seconds=LATENCY_S)
                site.fault(kind="rate_limit", rate=RATE, burst=RATE)
                time.sleep(1.1)  # a full bucket to start with, as bench_export starts
                with Stopwatch() as watch:
                    export_batch.send(world.tenant_id, batch_id, run_id)
                    run = world.wait(run_id, timeout_s=300)
            finally:
                asyncio.run(embedded.stop())
            if run.status != "succeeded":
                raise SystemExit(f"bench_resync_apply: the apply did not succeed: {run.message} {run.errors}")
            stats = site.stats()
            requests = _since(before, stats["requests"])
            limited = sum(r.get("429", 0) for r in requests.values())
            total = sum(sum(r.values()) for r in requests.values())
            per_draft = Counter(i.key for v in site.issues_by_draft(batch_id).values() for i in v)
            return {
                "wall": watch.seconds,
                "requests": total,
                "served": total - limited,
                "rate_limited": limited,
                "duplicates": stats["duplicates"]["by_property"] + sum(n - 1 for n in per_draft.values()),
                "issues": len(site.sandbox.state.store.issues(PROJECT)),
                "by_endpoint": {k: sum(v.values()) for k, v in requests.items() if sum(v.values())},
                "counts": counts,
            }
        finally:
            site.close()


def _since(before: dict, after: dict) -> dict[str, dict[str, int]]:
    """Requests per endpoint and status made after `before` was read (the sandbox counts since it opened)."""
    return {
        endpoint: {
            status: count - before.get(endpoint, {}).get("statuses", {}).get(status, 0)
            for status, count in value["statuses"].items()
        }
        for endpoint, value in after.items()
    }


def main() -> int:
    import logging

    logging.basicConfig(level=logging.WARNING)
    drafts = synthetic_drafts(EXPORTED + NEW, oversized=0)
    r = apply(drafts)
    floor = r["served"] / RATE
    ratio = r["wall"] / floor
    # A run this short starts with a full bucket: its first `RATE` requests need no wait at all, which the
    # floor above (bench_export's, for 600+ requests) does not subtract. The token bucket's own minimum:
    bucket = max(0, r["served"] - RATE) / RATE
    print(f"# {EXPORTED} issues exported; the plan: {r['counts']}")
    print(f"# {r['served']} requests served, {r['rate_limited']} answered 429: {r['by_endpoint']}")
    print(f"BENCH resync_apply_20_wall {r['wall']:.2f} s")
    print(f"BENCH resync_apply_20_requests {r['requests']} requests")
    print(f"BENCH resync_apply_20_floor {floor:.2f} s")
    print(f"BENCH resync_apply_20_vs_floor {ratio:.2f} x")
    print(f"BENCH resync_apply_20_floor_after_burst {bucket:.2f} s")
    print(f"BENCH resync_apply_20_vs_floor_after_burst {r['wall'] / bucket:.2f} x")
    print(f"BENCH resync_apply_20_duplicates {r['duplicates']} issues")
    ok = ratio <= TARGET and r["duplicates"] == 0 and r["issues"] == EXPORTED + NEW
    print(f"# targets: <= {TARGET}x the floor, no duplicates: {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
