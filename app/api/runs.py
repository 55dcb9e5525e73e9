"""Cancelling a drafting or export run from the panel.

Cancellation is a request: the run's worker checks `cancel_requested` between units of work (an export:
before each Jira request) and stops there, so nothing is left half-written. An export waiting for its next
try after a failure is stopped at once (`pipeline.cancel_run`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app import pipeline
from app.api._utils import ok, project_batch, run_json, store_of
from app.connect.auth import Auth, api_endpoint
from app.connect.errors import ApiError


@api_endpoint
async def cancel_run(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    store = store_of(request)
    run = await store.get_run(auth.tenant.id, request.path_params["run_id"])
    if run is None or run.batch_id != batch.id:
        raise ApiError(404, "run_not_found", "This run does not exist in the batch.")
    if not await pipeline.cancel_run(store, auth.tenant, run):
        raise ApiError(409, "run_finished", "This run has already finished; there is nothing to cancel.")
    await store.audit(
        auth.tenant.id,
        "run.cancel_requested",
        actor=auth.account_id,
        batch_id=batch.id,
        detail={"run": run.id},
    )
    return ok({"run": run_json(await store.get_run(auth.tenant.id, run.id))}, status=202)
