"""One export pass over a batch: resolve, reconcile unknown outcomes, bulk create, link, attach.

Each pass starts from the database (export records and links), so a pass that stops anywhere — crash,
redelivery, rate limit, cancel — is simply followed by another that continues where it stopped:
- intent before each create request; an `intent` record (outcome unknown) is looked up in Jira by the
  issue property before anything is created again, so each draft exists in Jira exactly once;
- links are idempotent in Jira (a duplicate link reports success) and are recorded as they are made;
- an attachment is marked `pending` before its upload; a pending one is checked on the issue first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from app.jira import JiraClient, JiraError, RateLimited, jql_string
from app.store import Batch, Run, Store, Tenant
from jobs.settings import JobSettings
from jobs.throttle import TenantGate
from ticketgen.drafts.model import Draft
from ticketgen.export import (
    PROPERTY_KEY,
    FailedDraft,
    Prepared,
    Target,
    dependency_pairs,
    issue_update,
    plan_chunks,
    prepare,
)

log = logging.getLogger("jobs.export")
T = TypeVar("T")
LINK_WINDOW = 40  # links per round between progress writes and cancel checks
_META_CACHE: dict[str, tuple[Target, bool, dict[str, Prepared]]] = {}


class Reschedule(Exception):
    """Stop this pass; the message is retried after `delay_ms` and the next pass continues."""

    def __init__(self, delay_ms: int, reason: str) -> None:
        super().__init__(reason)
        self.delay_ms = delay_ms


class Cancelled(Exception):
    pass


@dataclass
class Outcome:
    created: dict[str, str] = field(default_factory=dict)  # draft key -> issue key
    failed: dict[str, FailedDraft] = field(default_factory=dict)
    links: int = 0
    links_total: int = 0
    link_failures: list[tuple[str, str, str]] = field(default_factory=list)
    attachments: int = 0
    attachments_total: int = 0
    duplicates: int = 0

    @property
    def complete(self) -> bool:
        return not self.failed and not self.link_failures and self.attachments == self.attachments_total


class Exporter:
    """Parameters: store, tenant, batch, run (as started), drafts (export order), jira, gate, settings."""

    def __init__(
        self, *, store: Store, tenant: Tenant, batch: Batch, run: Run, drafts: Sequence[Draft],
        jira: JiraClient, gate: TenantGate, settings: JobSettings,
    ) -> None:  # fmt: skip
        self.store, self.tenant, self.batch, self.run = store, tenant, batch, run
        self.drafts = list(drafts)
        self.jira, self.gate, self.settings = jira, gate, settings
        self.failed_this_run = {
            e["draft_key"]: FailedDraft(e["draft_key"], e.get("kind", "user"), e.get("reason", ""))
            for e in run.errors
            if isinstance(e, dict) and e.get("type") == "draft"
        }
        self.made_progress = False

    # --- Jira calls (in a thread, through the tenant's gate) ----------------------------------------------

    async def _call(self, fn: Callable[[], T]) -> T:
        return await asyncio.to_thread(self.gate.call, fn)

    # --- the pass -------------------------------------------------------------------------------------------

    async def export(self) -> Outcome:
        await self._progress(phase="resolving", message="Reading the Jira project's set-up")
        target, links_at_creation, prepared = await self._resolve()
        created = await self._reconcile()
        await self._create(target, links_at_creation, prepared, created)
        outcome = Outcome(created={k: v[0] for k, v in created.items()}, failed=dict(self.failed_this_run))
        await self._link(target, created, outcome)
        await self._attach(prepared, created, outcome)
        return outcome

    async def _resolve(self) -> tuple[Target, bool, dict[str, Prepared]]:
        """Project, issue type, link type and the create screen: once per run (cached across passes)."""
        cached = _META_CACHE.get(self.run.id)
        if cached is not None:
            return cached
        project = await self._call(lambda: self.jira.get_project(self.batch.project_key))
        wanted = self.tenant.settings.issue_type or "Task"
        types = await self._call(lambda: self.jira.issue_types(project.key))
        issue_type = next((t for t in types if t.name.lower() == wanted.lower() and not t.subtask), None)
        if issue_type is None:
            raise JiraError("admin", None, f"project {project.key} has no issue type named {wanted!r}")
        blocks = await self._call(lambda: self.jira.link_type("Blocks"))
        at_creation = await self._call(lambda: self.jira.links_at_creation(project.key, issue_type.id))
        target = Target(project.id, issue_type.id, tuple(self.tenant.settings.labels), blocks.name)
        prepared = await asyncio.to_thread(prepare, self.drafts, batch_id=self.batch.id, target=target)
        if len(_META_CACHE) > 64:
            _META_CACHE.clear()
        _META_CACHE[self.run.id] = (target, at_creation, prepared)
        return target, at_creation, prepared

    async def _reconcile(self) -> dict[str, tuple[str, str]]:
        """Created issues by draft key; `intent` records are settled by a property search first."""
        records = await self.store.list_export_records(self.tenant.id, self.batch.id)
        created = {
            k: (r.issue_key or "", r.issue_id or "") for k, r in records.items() if r.state == "created"
        }
        unknown = [r for r in records.values() if r.state == "intent"]
        if not unknown:
            return created
        youngest = max(r.updated_at for r in unknown)
        age = (datetime.now(UTC) - youngest).total_seconds()
        if age < self.settings.search_settle_s:
            delay = int((self.settings.search_settle_s - age) * 1000) + 50
            raise Reschedule(delay, "waiting for Jira's search index before looking up unknown outcomes")
        await self._progress(
            phase="reconciling", message=f"Checking {len(unknown)} issues of an interrupted request"
        )
        found = await self._call(self._search_batch)
        if found:
            await self.store.mark_created(self.tenant.id, self.batch.id, found)
            created.update(found)
        return created

    def _search_batch(self) -> dict[str, tuple[str, str]]:
        jql = f"issue.property[{PROPERTY_KEY}].batchId = {jql_string(self.batch.id)} ORDER BY key ASC"
        found: dict[str, tuple[str, str]] = {}
        for issue in self.jira.search(jql, fields=["summary"], properties=[PROPERTY_KEY], page_size=100):
            marker = issue.properties.get(PROPERTY_KEY) or {}
            key = marker.get("draftKey") if marker.get("batchId") == self.batch.id else None
            if key and key not in found:  # ordered by key: the first one made is the one that counts
                found[key] = (issue.key, issue.id)
            elif key:
                log.error("batch %s: draft %s exists twice in Jira (%s)", self.batch.id, key, issue.key)
        return found

    # --- issues ---------------------------------------------------------------------------------------------

    async def _create(
        self,
        target: Target,
        at_creation: bool,
        prepared: dict[str, Prepared],
        created: dict[str, tuple[str, str]],
    ) -> None:
        pending = [d.key for d in self.drafts if d.key not in created and d.key not in self.failed_this_run]
        chunks = plan_chunks(self.drafts, pending=pending, created=created, links_at_creation=at_creation)
        for number, chunk in enumerate(chunks):
            await self._progress(
                done=len(created),
                phase="creating",
                message=f"Creating issues ({len(created)} of {len(self.drafts)})",
            )
            linked = {k: [b for b in chunk.blockers.get(k, ()) if b in created] for k in chunk.keys}
            bodies = [
                issue_update(
                    prepared[k], blockers=[created[b][0] for b in linked[k]], link_type=target.link_type
                )
                for k in chunk.keys
            ]
            await self.store.record_intent(
                self.tenant.id, self.batch.id, chunk.keys, chunk=number, links_at_creation=at_creation
            )
            try:
                result = await self._call(lambda bodies=bodies: self.jira.bulk_create(bodies))
            except RateLimited as exc:
                if exc.status == 429:  # refused before any work: nothing to look up later
                    for key in chunk.keys:
                        await self.store.mark_failed(
                            self.tenant.id, self.batch.id, key, error="rate limited; not sent"
                        )
                raise
            except JiraError as exc:
                if exc.retryable or exc.outcome_unknown or exc.kind == "admin":
                    raise  # an admin error (no access, no project) would refuse every other request too
                for key in chunk.keys:  # the whole request was refused: each draft alone says why
                    await self._create_alone(key, prepared[key], created, target)
                continue
            made = {chunk.keys[i]: (issue.key, issue.id) for i, issue in result.created.items()}
            if made:
                await self.store.mark_created(self.tenant.id, self.batch.id, made)
                links = [(b, k) for k in made for b in linked[k]]
                if links:
                    await self.store.mark_links(self.tenant.id, self.batch.id, links, state="created")
                created.update(made)
                self.made_progress = True
            for index, error in sorted(result.failed.items()):
                key = chunk.keys[index]
                log.info(
                    "batch %s: draft %s refused in bulk (%s); retrying it alone",
                    self.batch.id,
                    key,
                    error.message,
                )
                await self._create_alone(key, prepared[key], created, target)
        await self._progress(done=len(created))

    async def _create_alone(
        self, key: str, prepared: Prepared, created: dict[str, tuple[str, str]], target: Target
    ) -> None:
        """Without links at creation (they are made afterwards): a refused link must not cost the issue."""
        await self.store.record_intent(self.tenant.id, self.batch.id, [key])
        try:
            issue = await self._call(
                lambda: self.jira.create_issue(issue_update(prepared, link_type=target.link_type))
            )
        except RateLimited as exc:
            if exc.status == 429:
                await self.store.mark_failed(
                    self.tenant.id, self.batch.id, key, error="rate limited; not sent"
                )
            raise
        except JiraError as exc:
            if exc.retryable or exc.outcome_unknown:
                raise
            await self._fail_draft(key, exc.kind, exc.message)
            return
        await self.store.mark_created(self.tenant.id, self.batch.id, {key: (issue.key, issue.id)})
        created[key] = (issue.key, issue.id)
        self.made_progress = True

    async def _fail_draft(self, key: str, kind: str, reason: str) -> None:
        await self.store.mark_failed(self.tenant.id, self.batch.id, key, error=reason[:1000])
        failure = FailedDraft(key, kind, reason[:1000])
        self.failed_this_run[key] = failure
        error = {"type": "draft", "draft_key": key, "kind": kind, "reason": failure.reason}
        await self.store.update_progress(self.tenant.id, self.run.id, error=error)

    # --- links ----------------------------------------------------------------------------------------------

    async def _link(self, target: Target, created: dict[str, tuple[str, str]], outcome: Outcome) -> None:
        pairs = dependency_pairs(self.drafts)
        outcome.links_total = len(pairs)
        known = await self.store.list_export_links(self.tenant.id, self.batch.id)
        done = {p for p, link in known.items() if link.state == "created"}
        missing = [(b, k) for b, k in pairs if (b, k) not in done and not (b in created and k in created)]
        for blocker, blocked in missing:
            absent = blocker if blocker not in created else blocked
            outcome.link_failures.append((blocker, blocked, f"{absent} was not created"))
        todo = [(b, k) for b, k in pairs if (b, k) not in done and b in created and k in created]
        outcome.links = len(done & set(pairs))
        for start in range(0, len(todo), LINK_WINDOW):
            window = todo[start : start + LINK_WINDOW]
            await self._progress(phase="linking", message=f"Linking issues ({outcome.links} of {len(pairs)})")
            made, refused, stop = await asyncio.to_thread(self._link_window, target, created, window)
            if made:
                await self.store.mark_links(self.tenant.id, self.batch.id, made, state="created")
                outcome.links += len(made)
                self.made_progress = True
            for (blocker, blocked), reason in refused:
                await self.store.mark_links(
                    self.tenant.id, self.batch.id, [(blocker, blocked)], state="failed", error=reason
                )
                outcome.link_failures.append((blocker, blocked, reason))
            if stop is not None:
                raise stop

    def _link_window(
        self, target: Target, created: dict[str, tuple[str, str]], window: list[tuple[str, str]]
    ) -> tuple[list[tuple[str, str]], list[tuple[tuple[str, str], str]], JiraError | None]:
        """Concurrent link requests; after a rate limit or temporary error no new request is started."""
        made: list[tuple[str, str]] = []
        refused: list[tuple[tuple[str, str], str]] = []
        stops: list[JiraError] = []

        def one(pair: tuple[str, str]) -> None:
            if stops:
                return
            blocker, blocked = pair
            try:  # for "Blocks", the inward issue of the request is the blocking one
                self.gate.call(
                    lambda: self.jira.create_link(
                        link_type=target.link_type,
                        inward_key=created[blocker][0],
                        outward_key=created[blocked][0],
                    )
                )
            except JiraError as exc:
                if exc.retryable:
                    stops.append(exc)
                else:
                    refused.append((pair, exc.message))
                return
            made.append(pair)

        with ThreadPoolExecutor(
            max_workers=self.settings.concurrency, thread_name_prefix="jira-link"
        ) as pool:
            list(pool.map(one, window))
        rate_limits = [e for e in stops if isinstance(e, RateLimited)]
        return made, refused, (rate_limits or stops or [None])[0]

    # --- attachments ----------------------------------------------------------------------------------------

    async def _attach(
        self, prepared: dict[str, Prepared], created: dict[str, tuple[str, str]], outcome: Outcome
    ) -> None:
        wanted = [(k, p) for k, p in prepared.items() if p.attachment is not None]
        outcome.attachments_total = len(wanted)
        records = await self.store.list_export_records(self.tenant.id, self.batch.id)
        for key, item in wanted:
            record = records.get(key)
            if record is None or key not in created:
                continue
            if record.attachment_state == "uploaded":
                outcome.attachments += 1
                continue
            attachment = item.attachment
            assert attachment is not None
            issue_key = created[key][0]
            await self._progress(phase="attaching", message=f"Attaching the full description of {issue_key}")
            if record.attachment_state == "pending":  # an upload whose outcome is unknown
                existing = await self._call(
                    lambda issue_key=issue_key: self.jira.get_issue(issue_key, fields=["attachment"])
                )
                found = [
                    a
                    for a in existing.get("fields", {}).get("attachment") or []
                    if a.get("filename") == attachment.name
                ]
                if found:
                    await self.store.set_attachment(
                        self.tenant.id,
                        self.batch.id,
                        key,
                        state="uploaded",
                        attachment_id=str(found[0]["id"]),
                    )
                    outcome.attachments += 1
                    continue
            await self.store.set_attachment(self.tenant.id, self.batch.id, key, state="pending")
            try:
                uploaded = await self._call(
                    lambda issue_key=issue_key, a=attachment: self.jira.add_attachment(
                        issue_key, filename=a.name, content=a.content
                    )
                )
            except JiraError as exc:
                if exc.retryable:
                    raise
                await self.store.set_attachment(
                    self.tenant.id, self.batch.id, key, state="failed", error=exc.message[:500]
                )
                outcome.failed.setdefault(
                    key, FailedDraft(key, exc.kind, f"attachment not uploaded: {exc.message}")
                )
                continue
            attachment_id = uploaded[0].id if uploaded else None
            await self.store.set_attachment(
                self.tenant.id, self.batch.id, key, state="uploaded", attachment_id=attachment_id
            )
            outcome.attachments += 1
            self.made_progress = True

    # --- progress -------------------------------------------------------------------------------------------

    async def _progress(self, **changes: Any) -> None:
        run = await self.store.update_progress(self.tenant.id, self.run.id, total=len(self.drafts), **changes)
        if run is None or run.cancel_requested:
            raise Cancelled()
        if "phase" in changes:  # Slack's message follows along (the bot throttles the updates)
            from jobs.notify import send

            send(self.tenant.id, self.batch.id, "progress")
