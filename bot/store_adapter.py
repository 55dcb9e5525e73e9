"""The bot's `ApprovalStore` on the product's `app.store.Store`: views, approvals and audit in one place."""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from app.config import Config
from app.connect.descriptor import ISSUE_PROPERTY_KEY
from app.connect.errors import ApiError
from app.connect.jira_permissions import JiraPermissions
from app.connect.permissions import EXPORT_PERMISSIONS, CachedPermissions, PermissionSource
from app.hosts import project_page_url
from app.pipeline import approve_and_export, resume_export, send_export
from app.resync import plan_counts
from app.store.status import ATTACHED
from bot import refusals
from bot.ports import (
    ApprovalStore,
    BatchView,
    CreatedIssue,
    ExportSummary,
    FailedDraft,
    Progress,
    QueueExport,
)

SLACK_ACTOR = "slack:"  # actors recorded as `slack:U123`, so the panel and audit tell Slack users apart
POSTED = "slack.request_posted"
RESPONSE_URL = "response_url:"  # key prefix, per batch, in the tenant's encrypted Slack secrets
# Slack honours a response_url five times within 30 minutes of the click ("Handling user interaction");
# a minute less leaves room for the clocks of the web and worker processes.
RESPONSE_URL_TTL = 29 * 60.0

log = logging.getLogger("bot.store")


def as_approval_store(
    store: Any, config: Config, *, queue_export: QueueExport | None = None,
    permissions: PermissionSource | None = None,
) -> ApprovalStore:  # fmt: skip
    if isinstance(store, ApprovalStore):
        return store
    return StoreAdapter(store, config=config, queue_export=queue_export, permissions=permissions)


def slack_user(actor: str | None) -> str:
    return actor.removeprefix(SLACK_ACTOR) if actor and actor.startswith(SLACK_ACTOR) else ""


class StoreAdapter:
    """Parameters:
    store: the product's `app.store.Store`.
    config: for the app key (the panel's URL in Jira).
    clock: wall-clock seconds, shared by the web and worker processes (response_urls expire by it).
    queue_export: see `bot.ports.QueueExport`.
    permissions: what a linked approver's Jira account may do: the web app's own cached source
        (`app.state.permissions`), so the panel and Slack share answers; by default, asked of Jira.
    """

    def __init__(
        self, store: Any, *, config: Config, clock: Callable[[], float] = time.time,
        queue_export: QueueExport | None = None, permissions: PermissionSource | None = None,
    ) -> None:  # fmt: skip
        self.store = store
        self.config = config
        self.clock = clock
        self.queue_export = queue_export or send_export
        if permissions is None:
            permissions = CachedPermissions(source=JiraPermissions(app_key=config.app_key))
        self.permissions = permissions

    async def load(self, tenant_id: str, batch_id: str) -> BatchView | None:
        batch = await self.store.get_batch(tenant_id, batch_id)
        tenant = await self.store.get_tenant(tenant_id) if batch else None
        if batch is None or tenant is None:
            return None
        drafts = await self.store.list_drafts(tenant_id, batch_id, included_only=True)
        warnings = await self.store.list_findings(tenant_id, batch_id, severity="warning")
        posted = await self._posted(tenant_id, batch_id)
        site = tenant.site_url
        return BatchView(
            tenant_id=tenant_id,
            batch_id=batch_id,
            name=batch.name,
            project_key=batch.project_key,
            status=str(batch.status),
            revision=batch.revision,
            submitted_by=batch.submitted_by_name or "",
            counts_by_kind=dict(Counter(d.kind for d in drafts)),
            warnings=len(warnings),
            panel_url=project_page_url(
                tenant, batch.project_key, project_type=batch.project_type, config=self.config
            ),
            issues_url=issues_url(site, batch_id),
            channel=tenant.settings.slack_channel,
            approvers=tuple(tenant.settings.approvers),
            slack_channel=batch.slack_channel or "",
            slack_ts=batch.slack_ts or "",
            slack_revision=posted.get("revision") if posted.get("ts") == batch.slack_ts else None,
            approved_by=slack_user(batch.approved_by),
            rejected_by=slack_user(batch.rejected_by),
            rejection_reason=batch.reject_reason or "",
            existing_issues=batch.existing_issues or "",
            resync=await plan_counts(self.store, batch),
            workspace=(tenant.slack_team_id or "") if self.config.slack_workspaces else None,
        )

    async def approve(self, tenant_id: str, batch_id: str, *, revision: int, user: str) -> bool:
        run_id = await approve_and_export(
            self.store, tenant_id, batch_id, by=SLACK_ACTOR + user, revision=revision, queue=self.queue_export
        )
        return await self._audit_win(run_id, tenant_id, batch_id, "batch.approved", user, revision=revision)

    async def reject(self, tenant_id: str, batch_id: str, *, revision: int, user: str, reason: str) -> bool:
        won = await self.store.reject(tenant_id, batch_id, by=SLACK_ACTOR + user, reason=reason)
        return await self._audit_win(
            won, tenant_id, batch_id, "batch.rejected", user, revision=revision, reason=reason
        )

    async def resume(self, tenant_id: str, batch_id: str, *, user: str) -> bool:
        run_id = await resume_export(
            self.store, tenant_id, batch_id, by=SLACK_ACTOR + user, queue=self.queue_export
        )
        return await self._audit_win(run_id, tenant_id, batch_id, "export.resumed", user)

    async def export_refusal(self, tenant_id: str, project_key: str, *, user: str, button: str) -> str:
        try:
            tenant = await self.store.get_tenant(tenant_id)
            account = tenant.settings.approver_accounts.get(user, "") if tenant else ""
            if tenant is None or not account:
                return ""  # unlinked: the approver list is the gate (a missing tenant fails the approval)
            grants = await self.permissions.grants(tenant, account_id=account, project_key=project_key)
        except ApiError as exc:
            if exc.status == 403:  # Jira answered, but not about permissions: unknown account or project
                log.warning("Slack approver %s refused: %s", user, exc.code)
                if exc.code == "unknown_account":
                    return refusals.account_refused(refusals.unknown_account(account))
                return refusals.account_refused(exc.message)
            log.warning("could not check the Jira permissions of Slack approver %s (%s)", user, exc.code)
            return refusals.permissions_unknown(button, project_key)
        except Exception:  # fail closed: nothing is exported on a guess
            log.warning("could not check the Jira permissions of Slack approver %s", user, exc_info=True)
            return refusals.permissions_unknown(button, project_key)
        missing = grants.lacks(EXPORT_PERMISSIONS)
        if missing:
            log.info("Slack approver %s lacks %s in %s", user, ",".join(missing), project_key)
            return refusals.missing_permissions(button, project_key, missing)
        return ""

    async def save_message(
        self, tenant_id: str, batch_id: str, *, channel: str, ts: str, revision: int
    ) -> None:
        await self.store.update_batch(tenant_id, batch_id, slack_channel=channel, slack_ts=ts)
        await self.store.audit(
            tenant_id,
            POSTED,
            actor="system",
            batch_id=batch_id,
            detail={"channel": channel, "ts": ts, "revision": revision},
        )

    async def save_response_url(
        self, tenant_id: str, batch_id: str, *, channel: str, ts: str, url: str
    ) -> None:
        """A response_url is a credential (whoever holds it can rewrite the message), so it is kept in the
        tenant's encrypted Slack secrets, never in the audit log. Expired ones are dropped on the way and other
        secrets kept as they are. Two clicks at once in one tenant may keep only one URL: it is a fallback."""
        if not url:
            return
        try:
            now = self.clock()
            secrets = await self.store.get_slack_secrets(tenant_id)
            kept = {
                key: value
                for key, value in secrets.items()
                if not key.startswith(RESPONSE_URL) or _saved_url(value, now) is not None
            }
            kept[RESPONSE_URL + batch_id] = json.dumps({"url": url, "channel": channel, "ts": ts, "at": now})
            await self.store.set_slack_secrets(tenant_id, kept)
        except Exception:  # the click must go on: only a later fallback is lost
            log.warning("could not keep the response_url of batch %s", batch_id, exc_info=True)

    async def response_url(self, tenant_id: str, batch_id: str, *, channel: str, ts: str) -> str:
        try:
            secrets = await self.store.get_slack_secrets(tenant_id)
        except Exception:
            log.warning("could not read the kept response_url of batch %s", batch_id, exc_info=True)
            return ""
        saved = _saved_url(secrets.get(RESPONSE_URL + batch_id, ""), self.clock())
        return saved["url"] if saved and (saved["channel"], saved["ts"]) == (channel, ts) else ""

    async def progress(self, tenant_id: str, batch_id: str) -> Progress | None:
        run = await self.store.latest_run(tenant_id, batch_id, kind="export")
        if run is None:
            return None
        return Progress(
            done=run.done,
            total=run.total,
            phase=run.phase or "",
            message=run.message or "",
            errors=len(run.errors or ()),
        )

    async def summary(self, tenant_id: str, batch_id: str) -> ExportSummary | None:
        """Built from the export records (the truth about Jira), with the run's advice on failures."""
        tenant = await self.store.get_tenant(tenant_id)
        records = await self.store.list_export_records(tenant_id, batch_id)
        if tenant is None or not records:
            return None
        site = tenant.site_url
        links = await self.store.list_export_links(tenant_id, batch_id)
        run = await self.store.latest_run(tenant_id, batch_id, kind="export")
        advice = {
            f.draft_key: f.what_to_do for f in ExportSummary.from_mapping(run.result if run else {}).failures
        }
        created = [
            CreatedIssue(key, r.issue_key, f"{site}/browse/{r.issue_key}")
            for key, r in records.items()
            if r.state == "created" and r.issue_key
        ]
        failures = [
            FailedDraft(key, r.error or "not created", advice.get(key, ""))
            for key, r in records.items()
            if r.state == "failed"
        ]
        return ExportSummary(
            created=created,
            links=sum(1 for link in links.values() if link.state == "created"),
            attachments=sum(1 for r in records.values() if r.attachment_state in ATTACHED),
            failures=failures,
            issues_url=issues_url(site, batch_id),
            kept=sum(1 for r in records.values() if r.state == "kept"),
            updated=sum(1 for r in records.values() if r.state == "updated"),
        )

    async def _audit_win(
        self, won: Any, tenant_id: str, batch_id: str, action: str, user: str, **detail: Any
    ) -> bool:
        """Only the click that won the compare-and-set leaves a trace; the losers changed nothing. The
        decision is already kept (who and when are on the batch too), so a failing write here is logged and
        does not turn the click into an error."""
        if won:
            try:
                await self.store.audit(
                    tenant_id,
                    action,
                    actor=SLACK_ACTOR + user,
                    batch_id=batch_id,
                    detail={"via": "slack", **detail},
                )
            except Exception:
                log.exception("could not audit %s of batch %s", action, batch_id)
        return bool(won)

    async def _posted(self, tenant_id: str, batch_id: str) -> dict[str, Any]:
        for event in await self.store.list_audit(tenant_id, batch_id=batch_id):
            if event.action == POSTED:
                return dict(event.detail)
        return {}


def issues_url(site: str, batch_id: str) -> str:
    jql = f'issue.property[{ISSUE_PROPERTY_KEY}].batchId = "{batch_id}" ORDER BY key ASC'
    return f"{site}/issues/?{urlencode({'jql': jql})}"


def _saved_url(raw: str, now: float) -> dict[str, Any] | None:
    try:
        saved = json.loads(raw)
        fresh = now - float(saved["at"]) < RESPONSE_URL_TTL
        return saved if fresh and saved["url"] and "channel" in saved and "ts" in saved else None
    except (ValueError, TypeError, KeyError):
        return None
