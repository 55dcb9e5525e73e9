"""The export as the panel shows it: progress, the created issues (linked to Jira), and resuming a failed one."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app import pipeline
from app.api._utils import batch_json, ok, project_batch, run_json, store_of
from app.connect.auth import Auth, api_endpoint, permissions_of
from app.connect.errors import ApiError
from app.connect.permissions import require_project
from app.store import BatchStatus


def jira_browse_base(auth: Auth) -> str:
    return (auth.tenant.display_url or auth.tenant.base_url).rstrip("/") + "/browse/"


@api_endpoint
async def export_status(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    store = store_of(request)
    records = await store.list_export_records(auth.tenant.id, batch.id)
    browse = jira_browse_base(auth)
    issues = []
    for draft in await store.list_drafts(auth.tenant.id, batch.id, included_only=True):
        record = records.get(draft.key)
        issue_key = record.issue_key if record else None
        issues.append(
            {
                "draft_key": draft.key,
                "kind": draft.kind,
                "summary": draft.summary,
                "state": record.state if record else "pending",
                "issue_key": issue_key,
                "url": browse + issue_key if issue_key else None,
                "error": record.error if record else None,
            }
        )
    counts = {
        state: sum(i["state"] == state for i in issues)
        for state in ("created", "failed", "intent", "pending", "kept", "update", "updated")
    }
    return ok(
        {
            "batch": batch_json(batch),
            "run": run_json(await store.latest_run(auth.tenant.id, batch.id, "export")),
            "issues": issues,
            "counts": counts,
        }
    )


@api_endpoint
async def resume_export(request: Request, auth: Auth) -> JSONResponse:
    await require_project(permissions_of(request), auth.tenant, auth.account_id, auth.project_key)
    batch = await project_batch(request, auth)
    if batch.status != BatchStatus.EXPORT_FAILED:
        raise ApiError(
            409, "not_resumable", "Only an export that stopped on an error can be resumed; reload the page."
        )
    store = store_of(request)
    run_id = await pipeline.start_export(store, auth.tenant, batch.id, by=auth.account_id or None)
    await store.audit(auth.tenant.id, "export.resumed", actor=auth.account_id, batch_id=batch.id)
    return ok({"run_id": run_id}, status=202)
