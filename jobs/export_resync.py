"""A re-sync batch's export (issue 15): the settled plan stored on the batch, applied with the export's
guarantees.

The export does most of it as it does for any batch: the issues to edit are recorded `update` (the edit is
idempotent: sent again after a lost answer, then recorded `updated`), the ones left as they are `kept`, and
the new drafts are created (intent before each request, read back by issue property after an unknown
outcome) and linked. What is left are the comments and labels on existing issues (`add_notes`): each note is
recorded `intent` before its request and `done` after it. Labels are added with `update.labels` (adding a
label twice changes nothing); a comment carries an entity property naming batch and step, and a note left
in `intent` is first looked for on its issue, so no comment is ever posted twice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from app.jira import BULK_FETCH_LIMIT, JiraError
from app.jira.resync import FIELDS, state_of
from app.resync import SOURCE, remembered_issues
from app.store import Batch, ExportState, Store
from app.store.status import HAS_ISSUE
from jobs._utils import in_windows
from ticketgen.drafts.model import Draft
from ticketgen.export import Prepared
from ticketgen.export.planned import PARENT_KEY
from ticketgen.resync import (
    NOTE_PROPERTY,
    Exported,
    IssueState,
    Note,
    ResyncPlan,
    comment_adf,
    exported,
    note_marker,
    notes_of,
)

if TYPE_CHECKING:
    from jobs.exporter import Exporter

log = logging.getLogger("jobs.export")
NOTE_WINDOW = 8  # notes sent at once per round (the tenant gate bounds the requests in flight)


async def unsettled(store: Store, batch: Batch) -> str | None:
    """Why a re-sync batch cannot be applied (None: its plan is settled), checked before the export starts."""
    text = await store.resync_plan(batch.tenant_id, batch.id)
    if not text:
        return "This re-sync batch has no plan: nothing was exported; make the re-sync plan again."
    plan = ResyncPlan.from_json(text)
    if plan.conflicts:
        keys = ", ".join(f"{c.change.issue_key} “{c.change.summary}”" for c in plan.conflicts)
        return (
            f"{len(plan.conflicts)} issues edited in Jira since export are not settled ({keys}): nothing was "
            "exported; choose keep-Jira, take-spec or comment for each, then submit again."
        )
    if not plan.meta.get(SOURCE):
        return "The re-sync plan does not name the batch it was made against: make the re-sync plan again."
    return None


async def stored_plan(exporter: Exporter) -> ResyncPlan:
    """The plan as `unsettled` checked it before the export started (a pass never meets another)."""
    if problem := await unsettled(exporter.store, exporter.batch):
        raise JiraError("user", None, problem)
    text = await exporter.store.resync_plan(exporter.tenant.id, exporter.batch.id)
    return ResyncPlan.from_json(text or "{}")


async def seed_resync(exporter: Exporter) -> None:
    """The batch's first records, from its plan and the source batch's records, in one transaction: every
    draft whose issue exists is `update` (the plan edits it) or `kept`; the links Jira has between them are
    recorded as made. The new drafts get no record: the export creates them."""
    store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
    plan = await stored_plan(exporter)
    source = plan.meta[SOURCE]
    records = await store.list_export_records(tenant_id, source)
    remembered = await remembered_issues(store, tenant_id, source)
    edit = {c.draft_key for c in plan.changed if c.action == "update"}
    new = {n.draft_key for n in plan.new}
    issues: dict[str, tuple[str, str, str, str | None]] = {}
    for draft in exporter.drafts:
        record = records.get(draft.key)
        if draft.key in new or record is None or record.state not in HAS_ISSUE or not record.issue_key:
            continue
        state = ExportState.UPDATE if draft.key in edit else ExportState.KEPT
        issues[draft.key] = (state.value, record.issue_key, record.issue_id or "", _told(draft, remembered))
    parent = records.get(PARENT_KEY)  # new issues go under the epic the first export made, not a second one
    if parent is not None and parent.state in HAS_ISSUE and parent.issue_key:
        issues[PARENT_KEY] = (ExportState.KEPT.value, parent.issue_key, parent.issue_id or "", None)
    dropped = {(link.blocker, link.blocked) for link in plan.links_remove}
    made = [  # the links the source made, or kept as an earlier batch made them (`remembered_issues`)
        (b, k) for k, r in remembered.items() for b in r.blockers
        if b in issues and k in issues and (b, k) not in dropped
    ]  # fmt: skip
    await store.seed_resync(tenant_id, batch_id, issues, made)
    log.info(
        "batch %s: re-sync of %s: %d existing issues (%d to edit)", batch_id, source, len(issues), len(edit)
    )


async def still_to_edit(
    exporter: Exporter,
    todo: list[str],
    prepared: Mapping[str, Prepared],
    created: Mapping[str, tuple[str, str]],
) -> list[str]:
    """The `update` drafts whose issue still holds what the plan was made against, read again just before
    the edits (bulkfetch, consistent; one request per 100 issues). An issue that already holds the spec's
    text is an edit whose answer was lost: recorded `updated` without sending it again. One a person edited
    since the plan is not overwritten: recorded `kept`, saying why (the next re-sync shows it as a
    conflict), unless the user chose to take the spec over that person's edit (`ResyncPlan.taken`) and no one
    edited it again since the plan saw it (`ResyncPlan.seen`)."""
    store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
    records = await store.list_export_records(tenant_id, batch_id)
    plan = await stored_plan(exporter)
    keys = {created[key][0]: key for key in todo}
    now: dict[str, IssueState] = {}
    issue_keys = list(keys)
    for start in range(0, len(issue_keys), BULK_FETCH_LIMIT):
        page = await exporter.call(
            lambda chunk=issue_keys[start : start + BULK_FETCH_LIMIT]: exporter.jira.bulk_fetch(
                chunk, fields=FIELDS
            )
        )
        if page.errors:  # unread is not unedited: looking again later is the only safe answer
            raise JiraError("temporary", None, f"Jira could not read {len(page.errors)} issues just now")
        now |= {keys[issue.key]: state_of(issue) for issue in page.issues if issue.key in keys}
    left: list[str] = []
    for key in todo:
        state, record = now.get(key), records.get(key)
        if state is None or record is None or not record.sent:
            left.append(key)  # gone since (the edit says so) or remembered by nothing: as planned
            continue
        told = Exported.from_dict(json.loads(record.sent))
        sent = Exported.from_dict(json.loads(exporter.sent({key: created[key]}, prepared)[key]))
        if not state.edited_sections(sent):
            await store.mark_existing(
                tenant_id, batch_id, {key: created[key]}, state=ExportState.UPDATED,
                sent=exporter.sent({key: created[key]}, prepared),
            )  # fmt: skip
            exporter.existing[key] = str(ExportState.UPDATED)
        elif (key not in plan.taken and state.edited_sections(told)) or _edited_again(
            state, plan.seen.get(key)
        ):
            log.info("batch %s: %s edited in Jira after the plan; not overwritten", batch_id, created[key][0])
            await store.mark_existing(
                tenant_id, batch_id, {key: created[key]}, state=ExportState.KEPT,
                error="not updated: a person edited it in Jira after the re-sync plan was made",
            )  # fmt: skip
            exporter.existing[key] = str(ExportState.KEPT)
        else:
            left.append(key)
    return left


def _edited_again(state: IssueState, seen: Mapping[str, str] | None) -> bool:
    """A conflict settled take-spec whose issue a person changed once more since the plan saw it (unknown
    when Jira's text could not be read back then or now: the user's choice stands)."""
    return seen is not None and state.hashes is not None and dict(state.hashes) != dict(seen)


async def add_notes(exporter: Exporter, link_type: str) -> None:
    """The plan's comments, labels and unlinks, in windows of concurrent notes (each one request or two, on
    its own issue's protocol: intent, request, done), so that they wait on the rate limit, not on one
    round trip after another."""
    store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
    notes = notes_of(await stored_plan(exporter))
    done = await store.list_notes(tenant_id, batch_id)
    todo = [n for n in notes if done.get(n.step, ("", 0))[0] != "done"]

    async def before(window: list[Note], reached: int) -> None:
        message = f"Comments, labels and links ({reached} of {len(todo)}): {window[0].issue_key}"
        await exporter.progress(phase="noting", message=message)

    state = {n.step: done.get(n.step, ("", 0))[0] for n in todo}
    await in_windows(todo, NOTE_WINDOW, lambda n: _note(exporter, n, state[n.step], link_type), before=before)


async def _note(exporter: Exporter, note: Note, state: str, link_type: str) -> None:
    store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
    if note.is_comment and state == "intent" and await _posted(exporter, note):
        await store.note_done(tenant_id, batch_id, note.step)  # the request whose answer was lost had made it
        return
    await exporter.stop_point()  # the last one before the intent: a note recorded is a note sent
    await store.note_intent(tenant_id, batch_id, note.step)
    try:
        await exporter.call(lambda: _send(exporter, note, link_type), stop_point=False)
    except JiraError as exc:
        if exc.retryable or exc.outcome_unknown or exc.kind == "admin":
            raise  # left in `intent`: the next pass looks before it sends again
        log.info("batch %s: %s refused on %s (%s)", batch_id, note.step, note.issue_key, exc.message)
        await store.note_done(tenant_id, batch_id, note.step, error=exc.message[:1000])
        return
    await store.note_done(tenant_id, batch_id, note.step)
    exporter.made_progress = True


def _send(exporter: Exporter, note: Note, link_type: str) -> None:
    if note.is_unlink:
        _unlink(exporter, note, link_type)
    elif note.is_comment:
        marker = {NOTE_PROPERTY: note_marker(exporter.batch.id, note.step)}
        exporter.jira.add_comment(note.issue_key, comment_adf(note.comment), properties=marker)
    else:
        exporter.jira.add_labels(note.issue_key, note.labels)


def _unlink(exporter: Exporter, note: Note, link_type: str) -> None:
    """Read, then delete: a link already gone (an earlier delete whose answer was lost, or a person) is done."""
    for entry in exporter.jira.issue_links(note.issue_key):
        name = ((entry or {}).get("type") or {}).get("name") or ""
        blocker = (entry.get("inwardIssue") or {}).get("key")
        if name.lower() == link_type.lower() and blocker == note.blocker_issue:
            exporter.jira.delete_link(str(entry.get("id")))


async def _posted(exporter: Exporter, note: Note) -> bool:
    wanted = note_marker(exporter.batch.id, note.step)

    def look() -> bool:
        for comment in exporter.jira.comments(note.issue_key):
            for prop in comment.get("properties") or []:
                if prop.get("key") == NOTE_PROPERTY and prop.get("value") == wanted:
                    return True
        return False

    return await exporter.call(look, stop_point=False)


def _told(draft: Draft, remembered: Mapping[str, Exported]) -> str:
    """What a kept issue stands for from now on: this spec's sections (the issue was told of the changes by
    a comment, or the user chose to keep Jira's text), compared with Jira by what Jira still holds from
    before. So the next re-sync neither comments the same change again nor mistakes the old text for a
    person's edit. An issue to edit gets what it was sent when it is recorded `updated`."""
    told = exported(draft)
    before = remembered.get(draft.key)
    if before is not None:
        told = replace(told, sent=before.sent_hashes())
    return json.dumps(told.to_dict(), ensure_ascii=False, sort_keys=True)
