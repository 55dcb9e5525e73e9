"""The real add-on (create_app + the Slack routes) served by uvicorn on 127.0.0.1:0, the real store on a
temporary SQLite file, and the Slack stand-in. Everything runs in the test's event loop, so the test can use
the app's own store; the stand-in runs in its own thread and is polled without blocking the loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest
import uvicorn

from app.config import Config
from app.connect.permissions import PermissionSource
from app.main import create_app
from app.store import Run, Store, new_secret_key
from bot.routes import EVENTS_PATH, slack_routes
from tests.peers.slack_server import Message, SlackServer
from ticketgen.drafts.model import Draft, Table
from ticketgen.spec.model import Finding, Spec, SpecFile

T = TypeVar("T")
CHANNEL = "C0APPROVALS"
LEAD, PM, DEVELOPER = "U0LEAD", "U0PM", "U0DEV"
SITE = "https://uwec.atlassian.net"
SUBMITTER = "557058:f1d3a0b2-0c4e-4d7a-9b1e-5a2f0c9d8e71"  # a Jira account id, as the panel submits


@dataclass
class ExportRecorder:
    """The injected `queue_export` seam: records each export run the bot queues (instead of sending it)."""

    calls: list[tuple[str, str]] = field(default_factory=list)
    started_by: list[str] = field(default_factory=list)
    run_ids: list[str] = field(default_factory=list)

    def __call__(self, run: Run) -> None:
        self.calls.append((run.tenant_id, run.batch_id))
        self.started_by.append(run.created_by or "")
        self.run_ids.append(run.id)


@dataclass
class World:
    config: Config
    store: Store
    slack: SlackServer
    exports: ExportRecorder
    events_url: str
    tenant_id: str = ""
    batch_id: str = ""

    async def batch(self):
        return await self.store.get_batch(self.tenant_id, self.batch_id)

    def request_message(self) -> Message:
        posted = [m for m in self.slack.channel_messages(CHANNEL) if not m.thread_ts]
        assert posted, "no approval request was posted"
        return posted[-1]


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    with SlackServer(channels=(CHANNEL,)) as server:
        yield server


def slack_config(tmp_path: Path, slack: SlackServer, **overrides: object) -> Config:
    values: dict[str, object] = {
        "base_url": "https://addon.example.test",
        "data_dir": tmp_path,
        "secret_key": new_secret_key(),
        "slack_bot_token": slack.token,
        "slack_signing_secret": slack.signing_secret,
        "slack_team_id": slack.team_id,
        "slack_base_url": slack.api_url,
        "allowed_sites": ("uwec.atlassian.net",),  # single-company mode's bot speaks for SITE only
    }
    return Config(**{**values, **overrides})  # type: ignore[arg-type]


@pytest.fixture
async def world(tmp_path: Path, slack: SlackServer) -> AsyncIterator[World]:
    async with open_world(tmp_path, slack) as w:
        yield w


@asynccontextmanager
async def open_world(
    data_dir: Path, slack: SlackServer, *, permissions: PermissionSource | None = None
) -> AsyncIterator[World]:
    """A freshly started app (bolt has not called auth.test yet) with a batch awaiting approval;
    `permissions` answers for Jira about linked approvers' accounts (nobody is linked by default)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config = slack_config(data_dir, slack)
    exports = ExportRecorder()
    app = create_app(config, extra_routes=slack_routes(config, queue_export=exports), permissions=permissions)
    async with serve(app) as base:
        w = World(config, app.state.store, slack, exports, base + EVENTS_PATH)
        w.tenant_id, w.batch_id = await seed_submitted_batch(w.store)
        yield w


async def eventually(check: Callable[[], Awaitable[T]], *, what: str, timeout: float = 15.0) -> T:
    """Polls an async check (e.g. the store) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while not (result := await check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)
    return result


class serve:
    """uvicorn in the current loop, on an ephemeral port, lifespan included (runs the migrations)."""

    def __init__(self, app: object) -> None:
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="on", log_level="warning")
        )
        self.server.install_signal_handlers = lambda: None  # type: ignore[method-assign]

    async def __aenter__(self) -> str:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
                raise RuntimeError("uvicorn stopped before it started")
            await asyncio.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        await self.task


DRAFTS = [
    Draft(
        key="bundle:node.program",
        kind="bundle",
        summary="Create the Program content type",
        tables=[Table("Bundle", ["Name", "Machine name"], [["Program", "program"]])],
        sources=[],
    ),
    Draft(
        key="bundle:node.event",
        kind="bundle",
        summary="Create the Event content type",
        tables=[Table("Bundle", ["Name", "Machine name"], [["Event", "event"]])],
        sources=[],
    ),
    Draft(
        key="fields:node.program",
        kind="fields",
        summary="Add the fields of Program",
        tables=[Table("Fields", ["Label", "Machine name"], [["Degree", "field_degree"]])],
        sources=[],
        depends_on=["bundle:node.program"],
    ),
    Draft(
        key="view:events",
        kind="view",
        summary="Build the Events view",
        tables=[Table("View", ["Name"], [["Events"]])],
        sources=[],
        depends_on=["bundle:node.event"],
    ),
]
WARNINGS = [
    Finding(
        "warning",
        "soft_link",
        "Fields.csv",
        4,
        "Ref. bundle",
        "Articel",
        "No bundle is labelled “Articel”.",
        "Check the label.",
    ),
    Finding("warning", "duplicate_row", "Bundles.csv", 9, None, None, "Row 9 repeats row 3.", "Delete one."),
]


async def seed_submitted_batch(
    store: Store,
    *,
    approvers: tuple[str, ...] = (LEAD, PM),
    tenant_id: str = "",
    name: str = "UWEC site build",
) -> tuple[str, str]:
    """A batch awaiting approval; in a new tenant with Slack settings, or in `tenant_id` as it is."""
    if not tenant_id:
        tenant = await store.upsert_tenant(
            "jira:uwec-" + new_secret_key()[:8], shared_secret="s" * 32, base_url=SITE
        )
        await store.update_settings(tenant.id, slack_channel=CHANNEL, approvers=list(approvers))
        tenant_id = tenant.id
    batch = await store.create_batch(
        tenant_id, project_key="UWEC", project_id="10000", name=name, created_by="dana"
    )
    spec = Spec(
        files=(
            SpecFile("Fields.csv", "fields", 1.0, ("Label",), ()),
            SpecFile("Bundles.csv", "bundles", 1.0, ("Name",), ()),
        ),
        findings=tuple(WARNINGS),
    )
    await store.save_validation(tenant_id, batch.id, spec)
    for to, expect in (("validated", "uploaded"), ("drafting", "validated")):
        assert await store.transition(tenant_id, batch.id, to=to, expect={expect})
    await store.replace_drafts(tenant_id, batch.id, DRAFTS)
    assert await store.transition(tenant_id, batch.id, to="drafted", expect={"drafting"})
    assert await store.submit(tenant_id, batch.id, by=SUBMITTER, by_name="Dana Director")
    return tenant_id, batch.id
