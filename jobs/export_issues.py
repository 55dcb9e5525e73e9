"""Issue creation of an export pass: bulk requests in planned chunks, single-item retries for refusals.

Every request is preceded by an `intent` record, so a request whose outcome is unknown (crash, timeout)
is settled by the next pass's read-back instead of being sent again (see `jobs.exporter`). A bulk answer
lists the issues it made in no documented order, so each one is paired with its draft by the issue property
it carries, read back with bulkfetch before anything is recorded as created.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.jira import CreatedIssue, JiraError, RateLimited
from ticketgen.export import (
    PROPERTY_KEY,
    FailedDraft,
    Prepared,
    Target,
    issue_update,
    marked_draft,
    plan_chunks,
)

if TYPE_CHECKING:
    from jobs.exporter import Exporter

log = logging.getLogger("jobs.export")


async def create_issues(
    exporter: Exporter,
    target: Target,
    at_creation: bool,
    prepared: dict[str, Prepared],
    created: dict[str, tuple[str, str]],
) -> None:
    """Adds every issue made to `created` (draft key -> issue key, id) as soon as it is recorded."""
    store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
    drafts = exporter.drafts
    pending = [d.key for d in drafts if d.key not in created and d.key not in exporter.failed_this_run]
    chunks = plan_chunks(drafts, pending=pending, created=created, links_at_creation=at_creation)
    for number, chunk in enumerate(chunks):
        await exporter.progress(
            done=len(created),
            phase="creating",
            message=f"Creating issues ({len(created)} of {len(drafts)})",
        )
        linked = {k: [b for b in chunk.blockers.get(k, ()) if b in created] for k in chunk.keys}
        bodies = [
            issue_update(prepared[k], blockers=[created[b][0] for b in linked[k]], link_type=target.link_type)
            for k in chunk.keys
        ]
        after = await exporter.after_key(created)
        await exporter.stop_point()  # the last one before the intent: a request recorded is a request sent
        await store.record_intent(
            tenant_id, batch_id, chunk.keys, chunk=number, links_at_creation=at_creation, after_key=after
        )
        try:
            result = await exporter.call(
                lambda bodies=bodies: exporter.jira.bulk_create(bodies), stop_point=False
            )
        except RateLimited as exc:
            if exc.status == 429:  # refused before any work: nothing to look up later
                for key in chunk.keys:
                    await store.mark_failed(tenant_id, batch_id, key, error="rate limited; not sent")
            raise
        except JiraError as exc:
            if exc.retryable or exc.outcome_unknown or exc.kind == "admin":
                raise  # an admin error (no access, no project) would refuse every other request too
            for key in chunk.keys:  # the whole request was refused: each draft alone says why
                await _create_alone(exporter, key, prepared[key], created, target)
            continue
        exporter.note_keys(issue.key for issue in result.created)
        made = await _confirm(exporter, chunk.keys, result.created)
        if made:
            await store.mark_created(tenant_id, batch_id, made, sent=exporter.sent(made, prepared))
            links = [(b, k) for k in made for b in linked[k]]
            if links:
                await store.mark_links(tenant_id, batch_id, links, state="created")
            created.update(made)
            exporter.made_progress = True
        refused = {chunk.keys[i]: e for i, e in sorted(result.failed.items()) if chunk.keys[i] not in made}
        missing = set(chunk.keys) - set(refused) - set(made)
        if missing:  # left in `intent`: the next pass reads them back among the keys after `after`
            message = f"{len(missing)} issues of a bulk create could not be confirmed yet"
            raise JiraError("temporary", None, message, outcome_unknown=True)
        for key, error in refused.items():
            log.info(
                "batch %s: draft %s refused in bulk (%s); retrying it alone", batch_id, key, error.message
            )
            await _create_alone(exporter, key, prepared[key], created, target)
    await exporter.progress(done=len(created))


async def _confirm(
    exporter: Exporter, keys: list[str], issues: tuple[CreatedIssue, ...]
) -> dict[str, tuple[str, str]]:
    """Draft key -> (issue key, id) of the issues a bulk create made, by the property each one carries."""
    if not issues:
        return {}
    ids = [issue.id for issue in issues]
    fetched = await exporter.call(
        lambda: exporter.jira.bulk_fetch(ids, properties=[PROPERTY_KEY]), stop_point=False
    )  # part of the request it reads back: a stop waits for it
    batch_id, wanted = exporter.batch.id, set(keys)
    made: dict[str, tuple[str, str]] = {}
    for issue in sorted(fetched.issues, key=lambda i: int(i.id)):  # the first one made is the one that counts
        key = marked_draft(issue.properties, batch_id)
        if key in wanted and key not in made:
            made[key] = (issue.key, issue.id)
        else:
            log.error(
                "batch %s: bulk create made %s for no draft of its request (%s)", batch_id, issue.key, key
            )
    return made


async def _create_alone(
    exporter: Exporter, key: str, prepared: Prepared, created: dict[str, tuple[str, str]], target: Target
) -> None:
    """Without links at creation (they are made afterwards): a refused link must not cost the issue."""
    store, tenant_id, batch_id = exporter.store, exporter.tenant.id, exporter.batch.id
    after = await exporter.after_key(created)
    await exporter.stop_point()
    await store.record_intent(tenant_id, batch_id, [key], after_key=after)
    try:
        issue = await exporter.call(
            lambda: exporter.jira.create_issue(issue_update(prepared, link_type=target.link_type)),
            stop_point=False,
        )
    except RateLimited as exc:
        if exc.status == 429:
            await store.mark_failed(tenant_id, batch_id, key, error="rate limited; not sent")
        raise
    except JiraError as exc:
        if exc.retryable or exc.outcome_unknown:
            raise
        await _fail_draft(exporter, key, exc.kind, exc.message)
        return
    exporter.note_keys([issue.key])
    made = {key: (issue.key, issue.id)}
    await store.mark_created(tenant_id, batch_id, made, sent=exporter.sent(made, {key: prepared}))
    created[key] = (issue.key, issue.id)
    exporter.made_progress = True


async def _fail_draft(exporter: Exporter, key: str, kind: str, reason: str) -> None:
    """Recorded in the run too, so later passes skip the draft instead of asking Jira again."""
    store, tenant_id = exporter.store, exporter.tenant.id
    await store.mark_failed(tenant_id, exporter.batch.id, key, error=reason[:1000])
    failure = FailedDraft(key, kind, reason[:1000])
    exporter.failed_this_run[key] = failure
    error = {"type": "draft", "draft_key": key, "kind": kind, "reason": failure.reason}
    await store.update_progress(tenant_id, exporter.run.id, error=error)
