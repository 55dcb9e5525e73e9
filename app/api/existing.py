"""Before a batch is submitted: which of its drafts an earlier batch already created in the project.

Uploading the same spec again used to double the Jira project silently. Now *Submit* (or *Create issues*)
looks the batch's draft keys up among the project's issues by the app's issue property first; when some
exist, nothing is submitted until the person chooses what happens to them (`ExistingMode`), and that choice
is stored on the batch for the export to honour.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.api._utils import ok, project_batch, store_of
from app.connect.auth import Auth, api_endpoint
from app.connect.errors import ApiError
from app.hosts import WaitingForAuthorization
from app.jira import JiraError
from app.jira.existing import ExistingLookup
from app.store import Batch, ExistingMode

MODES = {
    ExistingMode.ONLY_NEW: "Create only the new ones",
    ExistingMode.UPDATE: "Update the existing issues",
    ExistingMode.DUPLICATE: "Create anyway (duplicates)",
}
# Offered only when an earlier batch's export records remember the issues (what a re-sync compares with)
RESYNC_LABEL = "Re-sync: review what changed"
CHOSEN = {**MODES, ExistingMode.RESYNC: RESYNC_LABEL}


def chosen_mode(body: dict[str, Any]) -> ExistingMode | None:
    """The submitter's choice in the request body (`"existing"`), None when the body makes none."""
    value = body.get("existing")
    if value is None:
        return None
    if not isinstance(value, str) or value not in {m.value for m in CHOSEN}:
        known = ", ".join(f'"{m.value}"' for m in CHOSEN)
        raise ApiError(
            422, "invalid_existing_mode", f'"existing" must be one of {known} (what to do with drafts '
            "that already exist in Jira).",
        )  # fmt: skip
    return ExistingMode(value)


async def lookup(request: Request, auth: Auth, batch: Batch) -> dict[str, Any]:
    """The panel's warning: how many of the batch's drafts exist, which issues they are, the choices."""
    from app.api.exports import jira_browse_base

    store = store_of(request)
    drafts = await store.list_drafts(auth.tenant.id, batch.id, included_only=True)
    source: ExistingLookup = request.app.state.existing
    keys = [d.key for d in drafts]
    known = await store.exported_issue_keys(auth.tenant.id, batch.project_key, keys, other_than=batch.id)
    try:
        found = await source.find(
            auth.tenant, project_key=batch.project_key, batch_id=batch.id, draft_keys=keys, known=known
        )
    except JiraError as exc:
        why = "Jira did not answer" if exc.status is None else f"Jira answered HTTP {exc.status}"
        raise ApiError(
            503, "jira_unavailable",
            f"The app could not check which drafts already exist in {batch.project_key} ({why}); "
            "nothing was submitted. Try again in a minute.",
        ) from exc  # fmt: skip
    except WaitingForAuthorization as exc:
        raise ApiError(
            503, "waiting_for_authorization",
            f"The app could not check which drafts already exist in {batch.project_key}: it is waiting for "
            "Jira authorization (Forge brings a fresh token within minutes); nothing was submitted.",
        ) from exc  # fmt: skip
    browse = jira_browse_base(auth)
    summaries = {d.key: d.summary for d in drafts}
    issues = [
        {
            "draft_key": key,
            "summary": summaries.get(key, ""),
            "issue_key": issue.issue_key,
            "url": browse + issue.issue_key,
            "batch_id": issue.batch_id,
        }
        for key, issue in found.items()
    ]
    modes = dict(MODES)
    if issues and await store.resync_source(auth.tenant.id, batch.project_key, keys, other_than=batch.id):
        modes[ExistingMode.RESYNC] = RESYNC_LABEL
    return {
        "project_key": batch.project_key,
        "total": len(drafts),
        "count": len(issues),
        "issues": issues,
        "mode": batch.existing_issues,
        "modes": [{"value": m.value, "label": label} for m, label in modes.items()],
    }


def existing_message(found: dict[str, Any]) -> str:
    resync = any(m["value"] == ExistingMode.RESYNC for m in found["modes"])
    return (
        f"{found['count']} of {found['total']} drafts already exist in {found['project_key']} as issues "
        "created by an earlier batch. Choose what happens to them: create only the new ones, update the "
        f"existing issues, {'re-sync them with the revised spec, ' if resync else ''}"
        "or create anyway (duplicates)."
    )


@api_endpoint
async def existing_issues(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    return ok(await lookup(request, auth, batch))
