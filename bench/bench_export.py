"""Export of 200 dependency-linked drafts into the sandbox Jira (100 ms per request, burst limit 10 req/s
answered with 429 + Retry-After), through the real actor on the embedded in-process worker.

Prints wall time and request count for links set at creation and links made afterwards, the rate-limit
floor of the afterwards run (its requests ÷ 10 req/s), the original design's baseline (tickets one by one
with 1.5 s pacing, then one request per link at the rate limit; computed from that definition with the
request latency measured in the same run) and the duplicates found by issue property in each run.

`--plan` (issue 16): the drafts get work categories and estimates, the three categories go to the sandbox's
three developers and the issues into the active sprint, under one parent; the figures are then named
`export_planned_*`.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._utils import Stopwatch
from tests.jobs.world import World, open_sandbox, synthetic_drafts

DRAFTS = 200
ACTIVE_SPRINT = 2  # the sandbox board's active sprint (its first is closed, its third future)
LATENCY_S = 0.1
RATE = 10  # requests per second, burst 10
BASELINE_PACING_S = 1.5


def export(links_at_creation: bool, drafts: list, planned: bool = False) -> dict[str, float]:
    from jobs import embedded, throttle
    from jobs.export import export_batch

    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        site = open_sandbox(Path(tmp) / "sandbox")
        try:
            world = World(data_dir=Path(tmp), site=site)
            world.install()
            site.settings(links_at_creation=links_at_creation)
            throttle.forget()
            asyncio.run(embedded.start(world.config()))
            try:
                site.fault(kind="latency", seconds=LATENCY_S)
                site.fault(kind="rate_limit", rate=RATE, burst=RATE)
                latency = _latency(site)
                site.admin_call("POST", "reset")  # counters and faults of the latency probe
                site.fault(kind="latency", seconds=LATENCY_S)
                site.fault(kind="rate_limit", rate=RATE, burst=RATE)
                time.sleep(1.1)  # a full bucket to start with
                # Approved only now: a worker's boot exports approved batches that have no export run
                # (issue 13's recovery), which would run it before the stopwatch and without the latency.
                batch_id, run_id = _planned_batch(world, drafts) if planned else world.approved_batch(drafts)
                with Stopwatch() as watch:
                    export_batch.send(world.tenant_id, batch_id, run_id)
                    run = world.wait(run_id, timeout_s=600)
            finally:
                asyncio.run(embedded.stop())
            if run.status != "succeeded":
                raise SystemExit(f"bench_export: the export did not succeed: {run.message} {run.errors}")
            stats = site.stats()
            limited = sum(r["statuses"].get("429", 0) for r in stats["requests"].values())
            return {
                "wall": watch.seconds,
                "requests": stats["total_requests"],
                "served": stats["total_requests"] - limited,
                "rate_limited": limited,
                "duplicates": stats["duplicates"]["by_property"],
                "links": run.result["links"],
                "latency": latency,
            }
        finally:
            site.close()


def _planned_batch(world: World, drafts: list) -> tuple[str, str]:
    from sandbox.team import BACK_END_DEV, FRONT_END_DEV, SITE_BUILDER
    from ticketgen.drafts.model import CATEGORIES

    people = dict(zip(CATEGORIES, (SITE_BUILDER, FRONT_END_DEV, BACK_END_DEV), strict=True))
    batch_id, _ = world.approved_batch(drafts, run=False)

    async def go(store) -> str:
        plan = {"people": {c: p.account_id for c, p in people.items()}, "sprint": ACTIVE_SPRINT}
        await store.update_plan(world.tenant_id, batch_id, plan, categories={}, points={})
        assert await store.approve(world.tenant_id, batch_id, by="bench", expect={"drafted"})
        return (await store.create_run(world.tenant_id, batch_id, "export", created_by="bench")).id

    return batch_id, world.db(go)


def _with_plan(drafts: list) -> list:
    from ticketgen.drafts.model import CATEGORIES, Estimate

    for i, draft in enumerate(drafts):
        draft.category = CATEGORIES[i % len(CATEGORIES)]
        draft.estimate = Estimate(points=3, original_estimate="8h", seconds=28_800)
    return drafts


def _latency(site) -> float:
    """One request's latency as the export sees it (JWT-signed GET through the app's client)."""
    from app.jira import JiraClient
    from tests.sandbox.conftest import APP_KEY

    samples = []
    with JiraClient(base_url=site.base_url, app_key=APP_KEY, shared_secret=site.shared_secret) as jira:
        for _ in range(5):
            started = time.perf_counter()
            jira.get_project("UWEC")
            samples.append(time.perf_counter() - started)
            time.sleep(1 / RATE)
    return statistics.median(samples)


def main() -> int:
    import logging

    logging.basicConfig(level=logging.WARNING)
    planned = "--plan" in sys.argv[1:]
    drafts = synthetic_drafts(DRAFTS, oversized=1)
    if planned:
        drafts = _with_plan(drafts)
    links = sum(len(d.depends_on) for d in drafts)
    at_creation = export(True, drafts, planned)
    afterwards = export(False, drafts, planned)
    latency = statistics.mean([at_creation["latency"], afterwards["latency"]])
    baseline = DRAFTS * (BASELINE_PACING_S + latency) + links * max(latency, 1 / RATE)
    floor = afterwards["served"] / RATE
    prefix = "export_planned" if planned else "export"
    print(
        f"# {DRAFTS} drafts, {links} Blocks links, {LATENCY_S * 1000:.0f} ms latency, {RATE} req/s burst limit"
    )
    for name, r in (("links_at_creation", at_creation), ("links_after", afterwards)):
        print(
            f"# {name}: {r['served']} requests served, {r['rate_limited']} answered 429, {r['links']} links"
        )
        print(f"BENCH {prefix}_{name}_wall {r['wall']:.2f} s")
        print(f"BENCH {prefix}_{name}_requests {r['requests']} requests")
        print(f"BENCH {prefix}_{name}_duplicates {r['duplicates']} issues")
    print(f"BENCH {prefix}_links_after_floor {floor:.2f} s")
    print(f"BENCH {prefix}_wall_baseline {baseline:.2f} s")
    print(f"BENCH {prefix}_links_at_creation_speedup {baseline / at_creation['wall']:.1f} x")
    print(f"BENCH {prefix}_links_after_vs_floor {afterwards['wall'] / floor:.2f} x")
    ok = (
        baseline / at_creation["wall"] >= 15
        and afterwards["wall"] <= 1.3 * floor
        and at_creation["duplicates"] == afterwards["duplicates"] == 0
    )
    print(
        f"# targets: at creation >= 15x baseline, afterwards <= 1.3x floor, no duplicates: {'met' if ok else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
