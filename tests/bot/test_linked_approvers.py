"""A Slack approver the admin linked to a Jira account: the export starts only if Jira grants that account
Create Issues, Link Issues and Create Attachments in the batch's project (asked before the approval is kept).
Unlinked approvers are gated by the approver list alone, as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.connect.errors import ApiError
from app.connect.permissions import UserGrants, permissions_unavailable
from app.store.records import Tenant
from bot import messages, notify
from tests.bot.conftest import CHANNEL, LEAD, PM, World, eventually, open_world
from tests.bot.test_approval import approved_then_failed
from tests.connect.jira_peer import PermissionsPeer
from tests.peers.slack_server import Message, SlackServer

LEAD_ACCOUNT = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"
NO_CREATE = UserGrants(project_permissions=frozenset({"LINK_ISSUES", "CREATE_ATTACHMENTS"}))


class UnreachableJira(PermissionsPeer):
    """Jira does not answer `POST /permissions/check` (as `JiraPermissions` reports a timeout or a 5xx)."""

    async def grants(self, tenant: Tenant, *, account_id: str, project_key: str) -> UserGrants:
        self.asked.append((tenant.client_key, account_id, project_key))
        raise permissions_unavailable("Jira did not answer")


class UnknownAccount(PermissionsPeer):
    """Jira answers 400 for an account id it does not know (as `JiraPermissions` reports it)."""

    async def grants(self, tenant: Tenant, *, account_id: str, project_key: str) -> UserGrants:
        raise ApiError(403, "unknown_account", "Jira does not recognise your account.")


@pytest.fixture
def jira() -> PermissionsPeer:
    return PermissionsPeer(accounts={LEAD_ACCOUNT: NO_CREATE})


@pytest.fixture
async def linked(tmp_path: Path, slack: SlackServer, jira: PermissionsPeer) -> AsyncIterator[World]:
    async with open_world(tmp_path, slack, permissions=jira) as w:
        await w.store.update_settings(w.tenant_id, approver_accounts={LEAD: LEAD_ACCOUNT})
        yield w


async def posted(world: World) -> Message:
    ts = await notify.post_approval_request(world.config, world.store, world.tenant_id, world.batch_id)
    assert ts
    return world.slack.message(CHANNEL, ts)


async def approved(world: World) -> list:
    audit = await world.store.list_audit(world.tenant_id, batch_id=world.batch_id)
    return [e for e in audit if e.action == "batch.approved"]


async def test_a_linked_approver_without_create_issues_approves_nothing(
    linked: World, jira: PermissionsPeer
) -> None:
    message = await posted(linked)
    await linked.slack.click(linked.events_url, message, messages.APPROVE, user=LEAD)
    [refusal] = await linked.slack.wait_for(lambda: linked.slack.ephemerals, what="the refusal")
    assert refusal["user"] == LEAD
    assert "needs the Create Issues permission in project UWEC" in refusal["text"]
    assert "Link Issues" not in refusal["text"] and "Nothing was changed" in refusal["text"]
    assert [(account, project) for _, account, project in jira.asked] == [(LEAD_ACCOUNT, "UWEC")]
    batch = await linked.batch()
    assert batch.status == "awaiting_approval" and not batch.approved_by
    assert linked.exports.calls == [] and await approved(linked) == []
    assert messages.APPROVE in linked.slack.message(CHANNEL, message.ts).buttons()


@pytest.mark.parametrize("jira", [PermissionsPeer()])  # every account holds all three permissions
async def test_a_linked_approver_with_the_permissions_exports_as_before(
    linked: World, jira: PermissionsPeer
) -> None:
    message = await posted(linked)
    await linked.slack.click(linked.events_url, message, messages.APPROVE, user=LEAD)
    await linked.slack.wait_for(lambda: linked.exports.calls, what="the export to start")
    assert linked.exports.started_by == [f"slack:{LEAD}"]
    assert [account for _, account, _ in jira.asked] == [LEAD_ACCOUNT]
    await eventually(lambda: approved(linked), what="the approval")
    assert (await linked.batch()).status == "approved" and linked.slack.ephemerals == []


async def test_an_unlinked_approver_is_gated_by_the_approver_list_alone(
    linked: World, jira: PermissionsPeer
) -> None:
    message = await posted(linked)
    await linked.slack.click(linked.events_url, message, messages.APPROVE, user=PM)
    await linked.slack.wait_for(lambda: linked.exports.calls, what="the export to start")
    assert linked.exports.started_by == [f"slack:{PM}"] and jira.asked == []
    await eventually(lambda: approved(linked), what="the approval")


@pytest.mark.parametrize("jira", [UnreachableJira()])
async def test_when_jira_cannot_be_asked_the_approval_is_refused(
    linked: World, jira: PermissionsPeer
) -> None:
    message = await posted(linked)
    await linked.slack.click(linked.events_url, message, messages.APPROVE, user=LEAD)
    [refusal] = await linked.slack.wait_for(lambda: linked.slack.ephemerals, what="the refusal")
    assert "Jira could not be asked" in refusal["text"] and "try again" in refusal["text"]
    assert "UWEC" in refusal["text"] and len(jira.asked) == 1
    assert (await linked.batch()).status == "awaiting_approval"
    assert linked.exports.calls == [] and await approved(linked) == []


@pytest.mark.parametrize("jira", [UnknownAccount()])
async def test_a_linked_account_jira_does_not_know_is_refused(linked: World, jira: PermissionsPeer) -> None:
    message = await posted(linked)
    await linked.slack.click(linked.events_url, message, messages.APPROVE, user=LEAD)
    [refusal] = await linked.slack.wait_for(lambda: linked.slack.ephemerals, what="the refusal")
    assert f"Jira does not know the account id {LEAD_ACCOUNT} linked to you" in refusal["text"]
    assert "configure page" in refusal["text"] and linked.exports.calls == []
    assert (await linked.batch()).status == "awaiting_approval"


async def test_a_linked_approver_without_the_permissions_cannot_resume(
    linked: World, jira: PermissionsPeer
) -> None:
    message = await approved_then_failed(linked, by=PM, error="Jira answered 503", what_to_do="Resume")
    [prompt] = [m for m in linked.slack.channel_messages(CHANNEL) if m.thread_ts == message.ts]
    await linked.slack.click(linked.events_url, prompt, messages.RESUME, user=LEAD)
    [refusal] = await linked.slack.wait_for(lambda: linked.slack.ephemerals, what="the refusal")
    assert (
        "*Resume* starts the export, which needs the Create Issues permission in project UWEC"
        in (refusal["text"])
    )
    assert len(linked.exports.calls) == 1 and (await linked.batch()).status == "export_failed"
    await linked.slack.click(linked.events_url, prompt, messages.RESUME, user=PM)  # unlinked: as before
    await linked.slack.wait_for(lambda: len(linked.exports.calls) == 2, what="the resumed export")
