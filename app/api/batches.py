"""Batches of a project: upload, list, status, files and their types, findings, drafting, submission."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app import pipeline
from app.api._utils import (
    batch_json,
    file_json,
    json_body,
    ok,
    project_batch,
    run_json,
    store_of,
)
from app.api.batch_files import set_type
from app.api.existing import chosen_mode, existing_message, lookup
from app.api.pages import Page, page_of
from app.api.resync import check_submission
from app.api.resync import headline as resync_headline
from app.api.spreadsheet import csv_download
from app.api.uploads import read_upload
from app.connect.auth import Auth, api_endpoint, permissions_of
from app.connect.errors import ApiError
from app.connect.jira_users import known_names
from app.connect.permissions import require_admin, require_project
from app.store import ExistingMode
from ticketgen.spec import TYPE_NAMES, UNKNOWN

FINDING_COLUMNS = ("severity", "code", "file", "row", "column", "value", "message", "hint", "suggestions")


@api_endpoint
async def list_batches(request: Request, auth: Auth) -> JSONResponse:
    batches = await store_of(request).list_batches(auth.tenant.id, project_key=auth.project_key)
    return ok({"batches": [batch_json(b) for b in batches]})


@api_endpoint
async def create_batch(request: Request, auth: Auth) -> JSONResponse:
    upload = await read_upload(request)  # whole upload checked before anything is stored
    name = upload.fields.get("name") or f"Upload of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    store = store_of(request)
    batch = await pipeline.store_upload(
        store,
        auth.tenant,
        project_key=auth.project_key,
        project_id=upload.fields.get("project_id", "")[:32],
        name=name[:255],
        created_by=auth.account_id or None,
        files=upload.files,
        project_type=auth.project_type,
    )
    files = await store.list_files(auth.tenant.id, batch.id)
    return ok({"batch": batch_json(batch), "files": [file_json(f) for f in files]}, status=201)


@api_endpoint
async def batch_status(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    store = store_of(request)
    files = await store.list_files(auth.tenant.id, batch.id)
    drafts = await store.list_drafts(auth.tenant.id, batch.id)
    people = [batch.created_by, batch.submitted_by, batch.approved_by, batch.rejected_by]
    return ok(
        {
            "batch": {**batch_json(batch), "resync_headline": await resync_headline(request, auth, batch)},
            "people": await request.app.state.user_names.names(auth.tenant, people),
            "counts": {
                "files": len(files),
                "errors": sum(f.error_count for f in files),
                "warnings": sum(f.warning_count for f in files),
                "drafts": len(drafts),
                "included": sum(d.included for d in drafts),
                "needs_decision": sum(bool(d.questions) for d in drafts),
            },
            "draft_run": run_json(await store.latest_run(auth.tenant.id, batch.id, "draft")),
            "export_run": run_json(await store.latest_run(auth.tenant.id, batch.id, "export")),
        }
    )


@api_endpoint
async def list_files(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    files = await store_of(request).list_files(auth.tenant.id, batch.id)
    return ok({"files": [file_json(f) for f in files], "types": [*TYPE_NAMES, UNKNOWN]})


@api_endpoint
async def set_file_type(request: Request, auth: Auth) -> JSONResponse:
    body = await json_body(request)
    wanted = body.get("type")
    if wanted is not None and wanted not in (*TYPE_NAMES, UNKNOWN):
        raise ApiError(
            422, "unknown_type", f"'{wanted}' is not a file type; choose one of: {', '.join(TYPE_NAMES)}."
        )
    return await set_type(request, auth, request.path_params["file_name"], wanted)


async def _findings(request: Request, auth: Auth, page: Page | None = None) -> tuple[list[dict], int]:
    batch = await project_batch(request, auth)
    severity = request.query_params.get("severity") or None
    if severity not in (None, "error", "warning"):
        raise ApiError(422, "invalid_filter", "severity must be 'error' or 'warning'.")
    file = request.query_params.get("file") or None
    store = store_of(request)
    where = {"severity": severity, "file": file}
    if page is None:  # the CSV download: every finding, bounded per code and file by the check
        found = await store.list_findings(auth.tenant.id, batch.id, **where)
        return [f.to_dict() for f in found], len(found)
    found = await store.list_findings(auth.tenant.id, batch.id, **where, offset=page.offset, limit=page.limit)
    return [f.to_dict() for f in found], await store.count_findings(auth.tenant.id, batch.id, **where)


@api_endpoint
async def list_findings(request: Request, auth: Auth) -> JSONResponse:
    page = page_of(request)
    found, total = await _findings(request, auth, page)
    return ok({"findings": found, **page.envelope(total)})


@api_endpoint
async def findings_csv(request: Request, auth: Auth) -> Response:
    found, _ = await _findings(request, auth)
    rows = [{**finding, "suggestions": "; ".join(finding["suggestions"])} for finding in found]
    return Response(
        csv_download(FINDING_COLUMNS, rows),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="findings-{request.path_params["batch_id"]}.csv"'
        },
    )


@api_endpoint
async def generate_drafts(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    store = store_of(request)
    run_id = await pipeline.start_drafting(store, auth.tenant, batch.id, by=auth.account_id or None)
    await store.audit(auth.tenant.id, "drafts.requested", actor=auth.account_id, batch_id=batch.id)
    return ok({"run_id": run_id}, status=202)


@api_endpoint
async def withdraw(request: Request, auth: Auth) -> JSONResponse:
    """Who may submit may take the request back; a viewer of the project may not."""
    await require_project(permissions_of(request), auth.tenant, auth.account_id, auth.project_key)
    batch = await project_batch(request, auth)
    store = store_of(request)
    await pipeline.withdraw_request(store, auth.tenant, batch.id)
    await store.audit(auth.tenant.id, "batch.withdrawn", actor=auth.account_id, batch_id=batch.id)
    return ok({"status": "drafted"})


@api_endpoint
async def decide(request: Request, auth: Auth) -> JSONResponse:
    """With no Slack channel, the approval happens here, so a request never waits for a Slack that nobody
    reads: a Jira admin approves (and must be allowed to create, link and attach) or rejects with a reason."""
    if auth.tenant.settings.slack_channel:
        raise ApiError(
            409, "approve_in_slack", "Approvals happen in Slack, in the channel your Jira admin set."
        )
    await require_admin(permissions_of(request), auth.tenant, auth.account_id)
    batch = await project_batch(request, auth)
    body = await json_body(request)
    store = store_of(request)
    if body.get("decision") == "approve":
        await require_project(permissions_of(request), auth.tenant, auth.account_id, auth.project_key)
        seen = body.get("revision")  # the drafts as the approver's page showed them
        revision = seen if isinstance(seen, int) and not isinstance(seen, bool) else batch.revision
        run_id = await pipeline.approve_and_export(
            store, auth.tenant.id, batch.id, by=auth.account_id, revision=revision
        )
        if run_id is None:
            raise ApiError(
                409,
                "conflict",
                "Only a batch waiting for approval, with its drafts as shown, can be approved.",
            )
        await store.audit(auth.tenant.id, "batch.approved", actor=auth.account_id, batch_id=batch.id)
        return ok({"status": "approved", "run_id": run_id})
    reason = str(body.get("reason") or "").strip()
    if body.get("decision") != "reject" or not reason:
        raise ApiError(
            422, "invalid_decision", 'Send {"decision": "approve"} or {"decision": "reject", "reason": "…"}.'
        )
    if not await store.reject(auth.tenant.id, batch.id, by=auth.account_id, reason=reason[:500]):
        raise ApiError(409, "conflict", "Only a batch waiting for approval can be rejected.")
    await store.audit(auth.tenant.id, "batch.rejected", actor=auth.account_id, batch_id=batch.id)
    return ok({"status": "rejected"})


async def _name_of(request: Request, auth: Auth) -> str | None:
    """The submitter's display name, kept with the request for Slack; None when Jira would not say."""
    names = await known_names(request.app.state.user_names, auth.tenant, [auth.account_id])
    return names.get(auth.account_id)


@api_endpoint
async def submit(request: Request, auth: Auth) -> JSONResponse:
    """Approving what is submitted makes the app create, link and attach as itself: the person submitting
    must be allowed to do all three in the project."""
    await require_project(permissions_of(request), auth.tenant, auth.account_id, auth.project_key)
    batch = await project_batch(request, auth)
    mode = chosen_mode(await json_body(request))
    store = store_of(request)
    if mode is None:  # no silent default: drafts already in Jira need the submitter's explicit choice
        found = await lookup(request, auth, batch)
        if found["count"]:
            raise ApiError(409, "existing_issues", existing_message(found), details={"existing": found})
    elif mode == ExistingMode.RESYNC:  # the plan reviewed must be the one applied
        await check_submission(request, auth, batch)
    outcome = await pipeline.submit_batch(
        store, auth.tenant, batch.id, by=auth.account_id, by_name=await _name_of(request, auth),
        existing_issues=mode,
    )  # fmt: skip
    await store.audit(
        auth.tenant.id, "batch.submitted", actor=auth.account_id, batch_id=batch.id,
        detail={**outcome, "existing_issues": mode.value if mode else None},
    )  # fmt: skip
    return ok(outcome, status=202)
