"""Issue 7's full scenario, every part real: the UWEC spec is uploaded through the panel's JSON API of a
`ticketgen serve` process, drafted and exported by `dramatiq` worker processes on Redis into the sandbox
Jira, and approved in "Slack" (the stand-in) with signed interaction requests — including a click by someone
who is not an approver and a double click. Every draft must exist exactly once, linked the right way, and
the approval message must end up showing the created keys — as blocks Slack takes, not as a fallback."""

from __future__ import annotations

import asyncio
import re
from typing import Any, TypeVar

import httpx
import pytest

from bot.messages import APPROVE, OPEN_ISSUES, OPEN_PANEL, REJECT
from bot.routes import EVENTS_PATH
from tests.connect.fixtures import Panel
from tests.connect.jira_peer import JiraSite
from tests.jobs.world import PROJECT, AddonProcess, WorkerProcess, World, check_export
from tests.peers.slack_server import Message, SlackServer, check_message

from .conftest import CHANNEL, DEVELOPER, LEAD, PM, until

pytestmark = pytest.mark.slow
T = TypeVar("T")


def approval_requests(slack: SlackServer) -> list[Message]:
    return [m for m in slack.channel_messages(CHANNEL) if not m.thread_ts]


def test_uwec_approved_in_slack_is_exported_once_and_the_message_shows_the_keys(
    world: World,
    slack: SlackServer,
    addon: AddonProcess,
    workers: WorkerProcess,
    uwec_files: list[tuple[str, bytes]],
) -> None:
    procs = (addon, workers)
    site = JiraSite(
        client_key=world.site.sandbox.state.settings.client_key, shared_secret=world.site.shared_secret
    )
    with httpx.Client(base_url=addon.url, timeout=30) as client:
        person = world.site.sandbox.state.settings.user_account_id  # a Jira admin who may create, by default
        admin = Panel(client, site, admin=True, account_id=person)  # type: ignore[arg-type]
        settings = {"slack_channel": CHANNEL, "approvers": [LEAD, PM], "approval_required": True}
        assert admin.request("PUT", "/api/settings", json=settings).status_code == 200

        panel = Panel(client, site, PROJECT, account_id=person)  # type: ignore[arg-type]
        upload = panel.request(
            "POST",
            "batches",
            files=[("files", (name, content, "text/csv")) for name, content in uwec_files],
            data={"name": "UWEC rebuild", "project_id": "10000"},
        )
        assert upload.status_code == 201, upload.text
        batch_id = upload.json()["batch"]["id"]
        assert panel.request("POST", f"batches/{batch_id}/drafting").status_code == 202

        def status() -> dict[str, Any]:
            return panel.request("GET", f"batches/{batch_id}").json()

        until(lambda: status()["batch"]["status"] == "drafted", what="the drafts", processes=procs)
        drafts = world.db(lambda s: s.load_drafts(world.tenant_id, batch_id))
        assert 150 <= len(drafts) <= 230

        submitted = panel.request("POST", f"batches/{batch_id}/submit")
        assert submitted.status_code == 202 and submitted.json()["status"] == "awaiting_approval"
        [request] = until(lambda: approval_requests(slack), what="the approval request", processes=procs)
        assert {APPROVE, REJECT} <= set(request.buttons().ids())
        assert "UWEC rebuild" in request.all_text() and PROJECT in request.all_text()

        events = addon.url + EVENTS_PATH
        refused = asyncio.run(slack.click(events, request, APPROVE, user=DEVELOPER))
        assert refused.status_code == 200
        until(lambda: [e for e in slack.ephemerals if e["user"] == DEVELOPER], what="the refusal")
        assert (
            "approver" in slack.ephemerals[0]["text"] and status()["batch"]["status"] == "awaiting_approval"
        )

        async def double_click() -> list[httpx.Response]:
            return list(
                await asyncio.gather(
                    slack.click(events, request, APPROVE, user=LEAD),
                    slack.click(events, request, APPROVE, user=LEAD),
                )
            )

        assert [r.status_code for r in asyncio.run(double_click())] == [200, 200]
        final = until(
            lambda: (s := status())["batch"]["status"] in ("exported", "export_failed") and s,
            what="the export",
            processes=procs,
        )
        assert final["batch"]["status"] == "exported", final["export_run"]
        assert final["batch"]["approved_by"] == f"slack:{LEAD}"

    issues = check_export(world, batch_id, drafts)  # each draft once, Blocks links inward, attachments
    stats = world.site.stats()
    assert stats["duplicates"]["by_property"] == 0
    assert stats["stored"]["issues"] == len(drafts), stats["stored"]
    runs = world.db(lambda s: s.list_runs(world.tenant_id, batch_id, kind="export"))
    assert len(runs) == 1 and runs[0].status == "succeeded", "one approval, one export"

    numbers = sorted(int(i.key.rsplit("-", 1)[1]) for i in issues.values())
    key_range = f"{PROJECT}-{numbers[0]} – {PROJECT}-{numbers[-1]}"
    until(
        lambda: key_range in slack.message(request.channel, request.ts).all_text(), what="the result message"
    )
    message = slack.message(request.channel, request.ts)
    assert re.search(rf"Created {len(drafts)} issues in \*{PROJECT}\*", message.all_text()), (
        message.all_text()
    )
    assert f"<@{LEAD}>" in message.all_text() and APPROVE not in message.buttons()
    # Issue 12: the result is in the channel's history as Slack validates it — every version of the message
    # passed the stand-in's Block Kit rules, none was refused, and none had to fall back to text.
    created = [m for m in slack.channel_messages(CHANNEL) if f"Created {len(drafts)} issues" in m.all_text()]
    assert [m.ts for m in created] == [request.ts]
    assert message.blocks and check_message({"text": message.text, "blocks": message.blocks}) == ""
    assert all(check_message(version) == "" for version in message.history)
    assert [r for r in slack.refused() if r[0] != "chat.postEphemeral"] == [], slack.refused()
    assert slack.responses == [], "no update had to go through a response_url"
    assert message.buttons().ids() == [OPEN_ISSUES, OPEN_PANEL]
    # Issue 14: every link the result message carries opens in the sandbox (buttons and mrkdwn links)
    links = {b["url"] for b in message.buttons() if b.get("url")} | set(
        re.findall(r"<(https?://[^|>]+)", message.all_text())
    )
    assert len(links) >= 2, message.all_text()
    assert [u for u in sorted(links) if httpx.get(u, timeout=30).status_code != 200] == [], sorted(links)
    assert any("creating issues" in json_text(v) for v in message.history[:-1]), (
        "the approval showed before the result"
    )
    assert len(approval_requests(slack)) == 1 and len(slack.calls_to("chat.postMessage")) == 1
    [second] = until(lambda: [e["text"] for e in slack.ephemerals if e["user"] == LEAD], what="the 2nd click")
    assert "already approved" in second, "the losing click is told why nothing happened"
    assert not [e for e in slack.ephemerals if e["user"] == PM]


def json_text(version: dict[str, Any]) -> str:
    return str(version.get("text", "")) + repr(version.get("blocks", []))
