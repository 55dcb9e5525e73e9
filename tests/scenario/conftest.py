"""The whole product as deployed: `ticketgen serve` and `dramatiq` worker processes on a real Redis, the
sandbox Jira and the Slack stand-in. Reuses the export world of tests/jobs (database, sandbox, workers)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from tests.connect.fixtures import (  # noqa: F401 - the app
    client,
    config,
    existing,
    key_server,
    permissions,
    signing_key,
    site,
)
from tests.jobs.conftest import redis_server, world  # noqa: F401 - fixtures shared with tests/jobs
from tests.jobs.world import AddonProcess, WorkerProcess, World
from tests.peers.slack_server import SlackServer

CHANNEL = "C0APPROVALS"
LEAD, PM, DEVELOPER = "U0LEAD", "U0PM", "U0DEV"
DEADLINE_S = 180  # against hangs, not a timing assertion: a whole UWEC export on a loaded 2-core machine
T = TypeVar("T")


def slack_env(slack: SlackServer, of: World) -> dict[str, str]:
    return {
        "ALLOWED_SITES": of.site.base_url,  # single-company mode: the one bot speaks for this site only
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_TEAM_ID": slack.team_id,
        "SLACK_API_URL": slack.api_url,
    }


def until(check: Callable[[], T], *, what: str, processes: tuple[WorkerProcess, ...] = ()) -> T:
    """Polls until `check` returns something truthy; on a timeout, the processes' logs tell why."""
    deadline = time.monotonic() + DEADLINE_S
    while not (result := check()):
        if time.monotonic() > deadline:
            logs = "\n".join(p.output() for p in processes)
            raise AssertionError(f"timed out waiting for {what}\n{logs}")
        time.sleep(0.05)
    return result


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    with SlackServer(channels=(CHANNEL,)) as server:
        yield server


@pytest.fixture
def addon(world: World, slack: SlackServer) -> Iterator[AddonProcess]:  # noqa: F811
    process = AddonProcess(world, **slack_env(slack, world)).start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def workers(world: World, slack: SlackServer, addon: AddonProcess) -> Iterator[WorkerProcess]:  # noqa: F811
    # No faults here, so a production-like Jira timeout (as in tests/jobs/test_worker_export.py): on a busy
    # machine the sandbox takes about 1 s for a 50-issue bulk create or a 100-issue search page, which the
    # 1 s timeout of the fault tests turns into timeouts in a row until the export stops as failed.
    process = WorkerProcess(
        world, processes=2, threads=4, BASE_URL=addon.url, JIRA_TIMEOUT_S="10", **slack_env(slack, world)
    ).start()
    try:
        yield process
    finally:
        process.stop()
