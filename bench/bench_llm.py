"""The UWEC set through AnthropicWriter against the local Messages API server, 1.5 s per request.

Baseline: the original design, one request per ticket sent one after another, i.e. the request count
times the mean latency of a single request measured against the same server in the same run.
"""

from __future__ import annotations

import asyncio
import secrets
import sys

from _utils import ROOT, UWEC, Stopwatch

sys.path.insert(0, str(ROOT))  # for tests.peers

from tests.peers.anthropic_server import AnthropicServer
from ticketgen.planner import plan
from ticketgen.spec import load_dir
from ticketgen.writers.anthropic import AnthropicWriter

LATENCY = 1.5
BATCH_SIZE = 4
CONCURRENCY = 8
SINGLE_SAMPLES = 3
TARGET = 30.0


async def main() -> int:
    drafts = plan(load_dir(UWEC)).drafts
    api_key = f"sk-ant-bench-{secrets.token_urlsafe(16)}"
    with AnthropicServer(api_key=api_key, latency=LATENCY) as server:
        single = AnthropicWriter(api_key=api_key, base_url=server.url)
        samples = []
        for draft in drafts[:SINGLE_SAMPLES]:
            with Stopwatch() as watch:
                await single.write([draft])
            samples.append(watch.seconds)
        mean_single = sum(samples) / len(samples)

        server.requests.clear()
        server.max_in_flight = 0
        writer = AnthropicWriter(
            api_key=api_key, base_url=server.url, batch_size=BATCH_SIZE, max_concurrency=CONCURRENCY
        )
        with Stopwatch() as watch:
            result = await writer.write(drafts, site="UWEC site rebuild")
        wall = watch.seconds
        in_flight = server.max_in_flight

    usage = result.usage
    print(
        f"# {len(drafts)} drafts, batch_size {BATCH_SIZE}, max_concurrency {CONCURRENCY}, {LATENCY} s per request; "
        f"{len(result.fallbacks)} fallbacks; tokens in {usage.input_tokens} out {usage.output_tokens}, "
        f"cache read {usage.cache_read_tokens} written {usage.cache_write_tokens}; est. ${usage.cost_usd:.4f} "
        f"({writer.model})"
    )
    print(f"BENCH llm_uwec_wall {wall:.2f} s")
    print(f"BENCH llm_uwec_requests {usage.requests} requests")
    print(f"BENCH llm_uwec_concurrency {in_flight} concurrent")
    print(f"BENCH llm_uwec_wall_baseline {len(drafts) * mean_single:.2f} s")
    if result.fallbacks or wall >= TARGET:
        print(f"# FAILED: {len(result.fallbacks)} fallbacks, wall {wall:.2f} s (target < {TARGET:g} s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
