"""Helpers shared by the API endpoints: body parsing, scoped lookups, JSON shapes, store error mapping."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.api.batch_locks import delete_locked, files_locked
from app.connect.auth import Auth
from app.connect.errors import ApiError, error_response
from app.store import Batch, CycleError, InvalidValue, Run, Store, StoredDraft, StoredFile, StoreError
from ticketgen.planner import CycleError as PlanCycleError


def store_of(request: Request) -> Store:
    return request.app.state.store


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()  # at most app.body_limit.MAX_BODY_BYTES
    try:
        body = json.loads(raw or b"{}")
    except ValueError as exc:
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise ApiError(422, "invalid_body", "The request body must be a JSON object.")
    where = _nul_at(body)
    if where is not None:
        raise ApiError(
            422, "invalid_text", f"The text in {where} contains a NUL character (\\u0000); remove it."
        )
    return body


def _nul_at(value: Any, path: str = "") -> str | None:
    """Where a NUL hides in a JSON value (`'criteria'[2]`): PostgreSQL text refuses it (a 500) and SQLite
    would keep it in a draft."""
    if isinstance(value, str):
        return (path or "the request") if "\x00" in value else None
    pairs = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in pairs:
        where = f"{path}[{key!r}]" if path else repr(key)
        if "\x00" in str(key):
            return where
        found = _nul_at(item, where)
        if found is not None:
            return found
    return None


def text_field(
    body: dict[str, Any], name: str, *, required: bool = True, max_len: int = 10_000
) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ApiError(422, "invalid_field", f"'{name}' must be a non-empty text.")
    if len(value) > max_len:
        raise ApiError(422, "invalid_field", f"'{name}' is longer than {max_len} characters.")
    return value


async def project_batch(request: Request, auth: Auth) -> Batch:
    """The batch named in the URL, only if it belongs to this tenant AND this project (else 404)."""
    batch = await store_of(request).get_batch(auth.tenant.id, request.path_params["batch_id"])
    if batch is None or batch.project_key != auth.project_key:
        raise ApiError(404, "batch_not_found", "This batch does not exist in this project.")
    return batch


def draft_not_found() -> ApiError:
    return ApiError(404, "draft_not_found", "This draft does not exist in the batch.")


async def project_draft(request: Request, auth: Auth) -> tuple[Batch, StoredDraft]:
    """The draft named in the URL, within `project_batch` (else 404)."""
    batch = await project_batch(request, auth)
    draft = await store_of(request).get_draft(auth.tenant.id, batch.id, request.path_params["draft_key"])
    if draft is None:
        raise draft_not_found()
    return batch, draft


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def batch_json(batch: Batch) -> dict[str, Any]:
    data = {k: _plain(v) for k, v in dataclasses.asdict(batch).items() if k not in ("tenant_id", "slack_ts")}
    data["changed_since_approval"] = batch.changed_since_approval
    data["locks"] = {"files": files_locked(batch.status), "delete": delete_locked(batch.status)}
    return data


def file_json(f: StoredFile) -> dict[str, Any]:
    return {
        "id": f.id,
        "name": f.name,
        "type": f.type,
        "detected_type": f.detected_type,
        "override_type": f.override_type,
        "confidence": f.confidence,
        "size": f.size,
        "rows": f.row_count,
        "errors": f.error_count,
        "warnings": f.warning_count,
    }


def run_json(run: Run | None) -> dict[str, Any] | None:
    if run is None:
        return None
    keep = (
        "id",
        "kind",
        "status",
        "done",
        "total",
        "phase",
        "message",
        "errors",
        "result",
        "cancel_requested",
    )
    data = {k: _plain(getattr(run, k)) for k in keep}
    data.update(finished=run.finished, updated_at=run.updated_at.isoformat())
    return data


LIST_VIEW_DROPS = ("tables", "facts", "sources", "notes", "questions", "modules", "config", "verify")


def draft_json(draft: StoredDraft, *, full: bool = True) -> dict[str, Any]:
    """`question_count` in both views: the list badges the drafts that need a decision without the questions."""
    data = {k: _plain(v) for k, v in dataclasses.asdict(draft).items() if k != "batch_id"}
    data["question_count"] = len(draft.questions)
    if not full:
        for heavy in LIST_VIEW_DROPS:
            data.pop(heavy, None)
        if data.get("estimate"):  # the size for totals; how it was added up is the full view's
            data["estimate"] = {k: v for k, v in data["estimate"].items() if k != "basis"}
    return data


async def store_error_handler(request: Request, exc: Exception) -> Response:
    """Store and planner errors are written for users already; map them to statuses."""
    if isinstance(exc, CycleError | PlanCycleError):
        summaries = list(getattr(exc, "summaries", exc.cycle))
        return error_response(
            409, "dependency_cycle", _sentence(str(exc)), {"cycle": list(exc.cycle), "summaries": summaries}
        )
    if isinstance(exc, InvalidValue):
        return error_response(422, "invalid_value", _sentence(str(exc)))
    assert isinstance(exc, StoreError)
    return error_response(409, "conflict", _sentence(str(exc)))


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]) if text else "The request could not be completed."


def ok(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status)
