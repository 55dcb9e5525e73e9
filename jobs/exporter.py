"""One export pass over a batch: resolve, reconcile unknown outcomes, bulk create, link, attach.

Each pass starts from the database (export records and links), so a pass that stops anywhere — crash,
redelivery, rate limit, cancel — is simply followed by another that continues where it stopped:
- intent before each create request, with the project's newest key known then; an `intent` record
  (outcome unknown) is looked up among the keys after it with bulkfetch, a consistent read, before
  anything is created again, so each draft exists in Jira exactly once;
- a bulk create's issues are paired with their drafts by the issue property each carries, read back with
  bulkfetch: Jira does not say which issue came from which request;
- links are idempotent in Jira (a duplicate link reports success) and are recorded as they are made;
- an attachment is marked `pending` before its upload; a pending one is checked on the issue first; an
  edited issue's superseded copies are deleted after it, read from the issue again on a retry.
The steps after reconciling live in `jobs.export_issues`, `jobs.export_links` and `jobs.export_attachments`
(with `jobs.export_superseded`);
they share this pass's state through the `Exporter` they are given.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.jira import BULK_FETCH_LIMIT, JiraClient, JiraError, issue_number, jql_string
from app.jira.screen import cannot_create, links_at_creation, screen_problem
from app.store import Batch, ExistingMode, Run, Store, Tenant
from app.store.status import HAS_ISSUE
from jobs.export_attachments import upload_attachments
from jobs.export_cache import Resolved, ResolvedRuns
from jobs.export_existing import adopt_existing, update_existing
from jobs.export_issues import create_issues
from jobs.export_links import create_links
from jobs.export_plan import ensure_parent, finish_plan, resolve_plan
from jobs.export_resync import add_notes
from jobs.settings import JobSettings
from jobs.throttle import TenantGate
from ticketgen.drafts.model import Draft
from ticketgen.export import (
    PROPERTY_KEY,
    FailedDraft,
    Prepared,
    Target,
    dependency_pairs,
    marked_draft,
    prepare,
)
from ticketgen.export.assignment import BatchPlan
from ticketgen.export.planned import PlanTarget
from ticketgen.resync import exported

log = logging.getLogger("jobs.export")
T = TypeVar("T")


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
    existing: dict[str, str] = field(default_factory=dict)  # draft key -> kept | update | updated

    @property
    def complete(self) -> bool:
        return not self.failed and not self.link_failures and self.attachments == self.attachments_total


class Exporter:
    """Parameters: store, tenant, batch, run (as started), drafts (export order), jira, gate, settings,
    resolved (what earlier passes of the run resolved and prepared, on any process)."""

    def __init__(
        self, *, store: Store, tenant: Tenant, batch: Batch, run: Run, drafts: Sequence[Draft],
        jira: JiraClient, gate: TenantGate, settings: JobSettings, resolved: ResolvedRuns,
    ) -> None:  # fmt: skip
        self.store, self.tenant, self.batch, self.run = store, tenant, batch, run
        self.drafts = list(drafts)
        self.jira, self.gate, self.settings, self.resolved = jira, gate, settings, resolved
        self.failed_this_run = {
            e["draft_key"]: FailedDraft(e["draft_key"], e.get("kind", "user"), e.get("reason", ""))
            for e in run.errors
            if isinstance(e, dict) and e.get("type") == "draft"
        }
        self.made_progress = False
        self.stopped = False  # a stop was seen: no further request is started
        self._loop: asyncio.AbstractEventLoop | None = None
        self.existing: dict[str, str] = {}  # drafts an earlier batch created: draft key -> record state
        self._newest: int | None = None  # the project's highest issue number known to exist
        self.plan: BatchPlan | None = None  # who builds what, the sprint (see `jobs.export_plan`)
        self.plan_target: PlanTarget | None = None
        self.parent_key: str | None = None

    # --- Jira calls (in a thread, through the tenant's gate) ----------------------------------------------

    async def call(self, fn: Callable[[], T], *, stop_point: bool = True) -> T:
        """`stop_point` false: the stop was just looked at (before an intent), or the request reads back what
        the one before it made, so that nothing is left half-known."""
        if stop_point:
            await self.stop_point()
        return await asyncio.to_thread(self.gate.call, fn)

    # --- stopping -------------------------------------------------------------------------------------------

    async def stop_point(self) -> None:
        """Before each Jira request: a stop asked in the panel takes effect before the next request, not
        after a whole chunk or window of them (a request in flight finishes, with its read-back)."""
        if self.stopped or await self._stop_asked():
            self.stopped = True
            raise Cancelled()

    def stop_asked(self) -> bool:
        """`stop_point` for the request threads of a window (see `jobs.export_links`): asked on the pass's
        loop, where the store lives; the window then starts no new request and the pass stops after it."""
        if not self.stopped and self._loop is not None:
            self.stopped = asyncio.run_coroutine_threadsafe(self._stop_asked(), self._loop).result()
        return self.stopped

    async def _stop_asked(self) -> bool:
        run = await self.store.get_run(self.tenant.id, self.run.id)
        return run is None or run.finished or run.cancel_requested

    # --- the pass -------------------------------------------------------------------------------------------

    async def export(self) -> Outcome:
        self._loop = asyncio.get_running_loop()
        await self.progress(phase="resolving", message="Reading the Jira project's set-up")
        target, links_at_creation, prepared = await self._resolve()
        self.plan = await self.store.get_plan(self.tenant.id, self.batch.id)
        created = await self._reconcile(target, prepared)
        await adopt_existing(self, created)
        prepared = await ensure_parent(self, target, prepared, created)
        await create_issues(self, target, links_at_creation, prepared, created)
        await update_existing(self, prepared, created)
        await finish_plan(self, target, created)
        if self.batch.existing_issues == ExistingMode.RESYNC:
            await add_notes(self, target.link_type)
        outcome = Outcome(
            created={k: v[0] for k, v in created.items()},
            failed=dict(self.failed_this_run),
            existing=dict(self.existing),
        )
        await create_links(self, target, created, outcome)
        await upload_attachments(self, prepared, created, outcome)
        return outcome

    async def _resolve(self) -> tuple[Target, bool, dict[str, Prepared]]:
        """Project, issue type, link type and the create screen: once per run (shared by its passes)."""
        cached = await asyncio.to_thread(self.resolved.get, self.tenant.id, self.run.id)
        if cached is not None:
            self.plan_target = cached.plan
            return cached.target, cached.links_at_creation, cached.prepared
        project = await self.call(lambda: self.jira.get_project(self.batch.project_key))
        wanted = self.tenant.settings.issue_type or "Task"
        types = await self.call(lambda: self.jira.issue_types(project.key))
        if not types:
            raise JiraError("admin", None, cannot_create(project.key))
        issue_type = next((t for t in types if t.name.lower() == wanted.lower() and not t.subtask), None)
        if issue_type is None:
            raise JiraError("admin", None, f"project {project.key} has no issue type named {wanted!r}")
        screen = await self.call(lambda: self.jira.create_fields(project.key, issue_type.id))
        if problem := screen_problem(screen, project.key, issue_type.name):
            raise JiraError("admin", None, problem)
        blocks = await self.call(lambda: self.jira.link_type("Blocks"))
        at_creation = links_at_creation(screen)
        target = Target(
            project.id, issue_type.id, tuple(self.tenant.settings.labels), blocks.name, frozenset(screen)
        )
        prepared = await asyncio.to_thread(prepare, self.drafts, batch_id=self.batch.id, target=target)
        self.plan_target, prepared = await resolve_plan(self, types, screen, target, prepared)
        resolved = Resolved(target, at_creation, prepared, self.plan_target)
        await asyncio.to_thread(self.resolved.put, self.tenant.id, self.run.id, resolved)
        return target, at_creation, prepared

    async def _reconcile(self, target: Target, prepared: dict[str, Prepared]) -> dict[str, tuple[str, str]]:
        """Created issues by draft key; `intent` records (outcome unknown) are settled first.

        Jira's search is eventually consistent, so no wait for it is ever long enough to trust an empty
        answer. Jira does number a project's issues in the order it makes them, though, so whatever a
        request made has a key after the `after_key` recorded with its intent: those keys are read back with
        bulkfetch, which is consistent, and paired with drafts by their issue property. The Blocks links the
        found issues carry are recorded too: a request whose response never came may have set links at
        creation, and a slow response must not turn them into links sent again afterwards."""
        records = await self.store.list_export_records(self.tenant.id, self.batch.id)
        created = {
            k: (r.issue_key or "", r.issue_id or "") for k, r in records.items() if r.state in HAS_ISSUE
        }
        unknown = [r for r in records.values() if r.state == "intent"]
        if not unknown:
            return created
        await self.progress(
            phase="reconciling", message=f"Checking {len(unknown)} issues of an interrupted request"
        )
        project = self.batch.project_key
        start = min(issue_number(r.after_key or "", project) or 0 for r in unknown)
        found, linked = await self._read_back(
            start, {r.draft_key for r in unknown}, created, target.link_type
        )
        if found:
            await self.store.mark_created(
                self.tenant.id, self.batch.id, found, sent=self.sent(found, prepared)
            )
            self.made_progress = True  # a request that timed out had created these: Jira is moving
            created.update(found)
        draft_of = {issue_key: draft_key for draft_key, (issue_key, _) in created.items()}
        wanted = set(dependency_pairs(self.drafts))
        pairs = {(draft_of[b], draft_of[k]) for b, k in linked if b in draft_of and k in draft_of}
        made = sorted(pairs & wanted)
        if made:
            await self.store.mark_links(self.tenant.id, self.batch.id, made, state="created")
        return created

    async def _read_back(
        self, start: int, wanted: set[str], created: dict[str, tuple[str, str]], link_type: str
    ) -> tuple[dict[str, tuple[str, str]], set[tuple[str, str]]]:
        """The `wanted` drafts' issues among the project's keys after number `start`, and the `link_type`
        links they carry (blocker issue key, blocked issue key). Pages of keys are read in order until every
        wanted draft is found or a page holds no issue at all: past the project's newest key."""
        project = self.batch.project_key
        found: dict[str, tuple[str, str]] = {}
        linked: set[tuple[str, str]] = set()
        while True:
            keys = [f"{project}-{n}" for n in range(start + 1, start + 1 + BULK_FETCH_LIMIT)]
            page = await self.call(
                lambda keys=keys: self.jira.bulk_fetch(
                    keys, fields=["summary", "issuelinks"], properties=[PROPERTY_KEY]
                )
            )
            if page.errors:  # unread is not absent: looking again later is the only safe answer
                raise JiraError("temporary", None, f"Jira could not read {len(page.errors)} issues just now")
            for issue in sorted(page.issues, key=lambda i: issue_number(i.key, project) or 0):
                key = marked_draft(issue.properties, self.batch.id)
                if key is None:
                    continue
                if key in found or (key in created and created[key][0] != issue.key):
                    log.error("batch %s: draft %s exists twice in Jira (%s)", self.batch.id, key, issue.key)
                elif key in wanted:  # in key order: the first one made is the one that counts
                    found[key] = (issue.key, issue.id)
                    linked |= _blocks_links(issue.key, issue.fields.get("issuelinks"), link_type)
            self.note_keys(i.key for i in page.issues)
            if not page.issues or wanted <= set(found):
                return found, linked
            start += BULK_FETCH_LIMIT

    def sent(self, issues: Mapping[str, tuple[str, str]], prepared: Mapping[str, Prepared]) -> dict[str, str]:
        """Draft key → what its issue got (summary and description, as sections and hashes; JSON), to keep
        with the record: a description shortened for the budget is remembered as shortened."""
        by_key = {d.key: d for d in self.drafts}
        return {
            key: json.dumps(
                exported(
                    by_key[key], issue_key=issue_key, description=prepared[key].fields.get("description")
                ).to_dict(),
                ensure_ascii=False,
                sort_keys=True,
            )
            for key, (issue_key, _) in issues.items()
            if key in by_key and key in prepared
        }

    # --- where the next request's issues can start ----------------------------------------------------------

    async def after_key(self, created: dict[str, tuple[str, str]]) -> str | None:
        """The project's newest issue key known before the next request (None: the project has none), to
        record with its intent. Any issue seen before the request was sent has a smaller number than the
        ones it makes, so a key seen in an index that lags behind is still a correct bound, only a lower
        one; the search is asked only when the batch has no issue of its own yet."""
        self.note_keys(key for key, _ in created.values())
        if self._newest is None:
            jql = f"project = {jql_string(self.batch.project_key)} ORDER BY key DESC"
            issues, _ = await self.call(lambda: self.jira.search_page(jql, fields=["summary"], page_size=1))
            self._newest = 0
            self.note_keys(i.key for i in issues)
        return f"{self.batch.project_key}-{self._newest}" if self._newest else None

    def note_keys(self, keys: Iterable[str]) -> None:
        """Keys of issues that exist now: every later request makes issues after them."""
        numbers = [n for key in keys if (n := issue_number(key, self.batch.project_key)) is not None]
        if numbers:
            self._newest = max(self._newest or 0, *numbers)

    # --- progress -------------------------------------------------------------------------------------------

    async def progress(self, **changes: Any) -> None:
        """Every progress write is also the pass's cancellation point."""
        run = await self.store.update_progress(self.tenant.id, self.run.id, total=len(self.drafts), **changes)
        if run is None or run.cancel_requested:
            raise Cancelled()
        if "phase" in changes:  # Slack's message follows along (the bot throttles the updates)
            from jobs.notify import send

            send(self.tenant.id, self.batch.id, "progress")


def _blocks_links(issue_key: str, entries: Any, link_type: str) -> set[tuple[str, str]]:
    """(blocker key, blocked key) of an issue's `issuelinks` entries of `link_type`. Seen from an issue,
    the other side of a link is `inwardIssue` when that one blocks it, `outwardIssue` when it is blocked."""
    links: set[tuple[str, str]] = set()
    for entry in entries if isinstance(entries, list) else []:
        name = ((entry or {}).get("type") or {}).get("name") or ""
        if name.lower() != link_type.lower():
            continue
        if inward := (entry.get("inwardIssue") or {}).get("key"):
            links.add((inward, issue_key))
        if outward := (entry.get("outwardIssue") or {}).get("key"):
            links.add((issue_key, outward))
    return links
