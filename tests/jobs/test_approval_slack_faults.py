"""Issue 13, defect 2, end to end: an approver's click, the export queued with the approval, the embedded
worker creating the issues in the sandbox Jira and reporting to Slack. One run per call the whole path
makes to the Slack stand-in (bolt's auth.test, the click's chat.update, the response_url, the worker's
progress and result), with a 429 at that call, or the connection dropped (twice: slack_sdk retries once):
every run ends in exactly one export, every draft exactly once in Jira, and the message showing the
result. The same for *Resume* after a stopped export. All along another user's panel is answered every
time, and what the runs add to this process's RSS (the app runs in it) stays under RSS_GROWTH_MB.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from app.config import Config
from app.main import create_app
from app.store import Store
from bot import messages, notify
from bot.app import AUTHORIZE_FAILED
from bot.routes import EVENTS_PATH, slack_routes
from tests.bot.conftest import eventually, serve
from tests.connect.jira_peer import JiraSite
from tests.peers.slack_server import Message, SlackServer
from tests.served import keep_asking, rss_mb

from .world import PROJECT, World, synthetic_drafts

CHANNEL = "C0APPROVALS"
LEAD = "U0LEAD"
DRAFTS = synthetic_drafts(3, oversized=0)
BULK = "/rest/api/3/issue/bulk"
RSS_GROWTH_MB = 60  # README, "Limits"; measured 3–20 MB
FAULTS: dict[str, Callable[[SlackServer, int], None]] = {
    "429": lambda slack, n: slack.fail_call(n, "ratelimited", status=429),
    "dropped": lambda slack, n: slack.drop_call(n),
}


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    with SlackServer(channels=(CHANNEL,)) as server:
        yield server


@dataclasses.dataclass
class Site:
    """The add-on as a user meets it: its store, its Slack endpoint, one submitted batch, and what another
    user's panel was answered while the batch was approved or resumed."""

    world: World
    config: Config
    store: Store
    events_url: str
    batch_id: str = ""
    others: list[int] = dataclasses.field(default_factory=list)

    @property
    def tenant_id(self) -> str:
        return self.world.tenant_id

    async def status(self) -> str:
        batch = await self.store.get_batch(self.tenant_id, self.batch_id)
        return str(batch.status) if batch else ""


@asynccontextmanager
async def started(
    world: World, slack: SlackServer, data_dir: Path, memory: list[float]
) -> AsyncIterator[Site]:
    """A fresh app (bolt has not called auth.test yet) with its embedded worker, and a batch submitted;
    afterwards the other user's panel must have been answered every time, and the process's RSS is noted."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config = dataclasses.replace(
        world.config(),
        base_url="https://addon.example.test",
        slack_bot_token=slack.token,
        slack_signing_secret=slack.signing_secret,
        slack_team_id=slack.team_id,
        slack_base_url=slack.api_url,
        allowed_sites=("127.0.0.1",),  # the sandbox Jira's host
    )
    app = create_app(config, extra_routes=slack_routes(config))
    async with serve(app) as base:
        site = Site(world, config, app.state.store, base + EVENTS_PATH)
        store, t = site.store, world.tenant_id
        await store.update_settings(t, slack_channel=CHANNEL, approvers=[LEAD])
        batch = await store.create_batch(t, project_key=PROJECT, project_id="10000", name=data_dir.name)
        for to, expect in (("validated", "uploaded"), ("drafting", "validated"), ("drafted", "drafting")):
            assert await store.transition(t, batch.id, to=to, expect={expect})
        await store.replace_drafts(t, batch.id, DRAFTS)
        assert await store.submit(t, batch.id, by="dana")
        site.batch_id = batch.id
        user = JiraSite(
            world.site.sandbox.state.settings.client_key, world.site.shared_secret, world.site.base_url
        )
        done = asyncio.Event()
        panel = asyncio.create_task(keep_asking(base, user, PROJECT, until=done.is_set))
        try:
            yield site
        finally:
            done.set()
            site.others = await panel
        assert len(site.others) >= 2 and set(site.others) == {200}, Counter(site.others)
        memory.append(rss_mb())


async def click(site: Site, slack: SlackServer, message: Message, action_id: str) -> None:
    """A click bolt could not authorize (auth.test failed) changed nothing: the approver clicks again."""
    before = await site.status()
    response = await slack.click(site.events_url, message, action_id, user=LEAD)
    if response.text == AUTHORIZE_FAILED:
        assert await site.status() == before
        response = await slack.click(site.events_url, message, action_id, user=LEAD)
    assert response.status_code == 200 and response.text != AUTHORIZE_FAILED


async def exported_once(site: Site, slack: SlackServer, ts: str, *, runs: int) -> None:
    """The batch exported by exactly `runs` export runs, every draft once in Jira, the result in Slack."""

    async def done() -> bool:
        return await site.status() == "exported"

    await eventually(done, what="the batch to be exported", timeout=60)
    # the result is the notify actor's, which a refused Slack call sends again after its backoff (2 s, 4 s, …):
    # on a loaded machine that is well past the default wait
    await slack.wait_for_text(CHANNEL, ts, f"Created {len(DRAFTS)} issues", timeout=60)
    found = site.world.site.issues_by_draft(site.batch_id)
    assert {k: len(v) for k, v in found.items()} == {d.key: 1 for d in DRAFTS}
    export_runs = await site.store.list_runs(site.tenant_id, site.batch_id, kind="export")
    assert len(export_runs) == runs and export_runs[0].status == "succeeded", export_runs


def assert_memory_bounded(memory: list[float]) -> None:
    """The app runs in this process, beside the tests before it: what the runs added is what counts."""
    print(f"RSS {memory[0]:.0f} MB before the runs, at most {max(memory):.0f} MB after one")
    assert max(memory) - memory[0] < RSS_GROWTH_MB, memory


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_slack_failure_at_any_call_of_an_approval_ends_in_one_export(
    world: World, slack: SlackServer, tmp_path: Path, fault: str
) -> None:
    n, memory = 0, [rss_mb()]
    while not slack.unused_call_faults():
        n += 1
        async with started(world, slack, tmp_path / f"approve-{n}", memory) as site:
            ts = await notify.post_approval_request(site.config, site.store, site.tenant_id, site.batch_id)
            assert ts
            FAULTS[fault](slack, n)
            await click(site, slack, slack.message(CHANNEL, ts), messages.APPROVE)
            await exported_once(site, slack, ts, runs=1)
    assert n >= 4, "fewer calls than auth.test, the click's update, progress and the result make"
    assert_memory_bounded(memory)


@pytest.mark.parametrize("fault", FAULTS)
async def test_a_slack_failure_at_any_call_of_a_resume_ends_in_one_export(
    world: World, slack: SlackServer, tmp_path: Path, fault: str
) -> None:
    n, memory = 0, [rss_mb()]
    while not slack.unused_call_faults():
        n += 1
        async with started(world, slack, tmp_path / f"resume-{n}", memory) as site:
            ts = await notify.post_approval_request(site.config, site.store, site.tenant_id, site.batch_id)
            assert ts
            world.site.fault(kind="error", status=403, path=BULK)  # an admin must act: the export stops
            await click(site, slack, slack.message(CHANNEL, ts), messages.APPROVE)
            prompts = await slack.wait_for(
                lambda: [m for m in slack.channel_messages(CHANNEL) if m.thread_ts == ts],  # noqa: B023
                what="the Resume prompt",
            )
            assert await site.status() == "export_failed"
            world.site.clear_faults()
            FAULTS[fault](slack, n)
            await click(site, slack, prompts[0], messages.RESUME)
            await exported_once(site, slack, ts, runs=2)
            await slack.wait_for_text(
                CHANNEL, prompts[0].ts, f"Resumed by <@{LEAD}>"
            )  # the stopped one and the resumed one
    assert n >= 3, "fewer calls than a resume's two updates and the result make"
    assert_memory_bounded(memory)
