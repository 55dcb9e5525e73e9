"""Drafts of a batch: list, read, edit, include/exclude; manual dependencies."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.api._utils import (
    draft_json,
    draft_not_found,
    json_body,
    ok,
    project_batch,
    project_draft,
    store_of,
    text_field,
)
from app.api.pages import page_of
from app.connect.auth import Auth, api_endpoint
from app.connect.errors import ApiError

SUMMARY_MAX = 255
EDITABLE_TEXT = {"summary": SUMMARY_MAX, "user_story": 2_000}
EDITABLE_LISTS = {"criteria": 50, "notes": 50, "labels": 20}


@api_endpoint
async def list_drafts(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    page = page_of(request)
    store = store_of(request)
    drafts = await store.list_drafts(auth.tenant.id, batch.id, offset=page.offset, limit=page.limit)
    total = await store.count_drafts(auth.tenant.id, batch.id)
    return ok(
        {
            "drafts": [draft_json(d, full=False) for d in drafts],
            "revision": batch.revision,
            **page.envelope(total),
        }
    )


@api_endpoint
async def get_draft(request: Request, auth: Auth) -> JSONResponse:
    _, draft = await project_draft(request, auth)
    return ok({"draft": draft_json(draft)})


def _edits(body: dict) -> tuple[dict, bool | None]:
    unknown = set(body) - {*EDITABLE_TEXT, *EDITABLE_LISTS, "included"}
    if unknown:
        raise ApiError(422, "unknown_field", f"These fields cannot be edited: {', '.join(sorted(unknown))}.")
    fields: dict = {}
    for name, max_len in EDITABLE_TEXT.items():
        if name in body:
            fields[name] = text_field(body, name, required=name == "summary", max_len=max_len)
    for name, max_items in EDITABLE_LISTS.items():
        if name in body:
            items = body[name]
            if (
                not isinstance(items, list)
                or not all(isinstance(i, str) for i in items)
                or len(items) > max_items
            ):
                raise ApiError(422, "invalid_field", f"'{name}' must be a list of at most {max_items} texts.")
            fields[name] = [i.strip() for i in items if i.strip()]
    included = body.get("included")
    if included is not None and not isinstance(included, bool):
        raise ApiError(422, "invalid_field", "'included' must be true or false.")
    return fields, included


@api_endpoint
async def edit_draft(request: Request, auth: Auth) -> JSONResponse:
    batch, draft = await project_draft(request, auth)
    fields, included = _edits(await json_body(request))
    store = store_of(request)
    key = draft.key
    if fields:
        draft = await store.update_draft(auth.tenant.id, batch.id, key, by=auth.account_id, **fields)
    if included is not None and draft is not None:
        draft = await store.set_included(auth.tenant.id, batch.id, key, included, by=auth.account_id)
    if draft is None:  # deleted meanwhile (drafts regenerated)
        raise draft_not_found()
    return ok({"draft": draft_json(draft)})


@api_endpoint
async def list_dependencies(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    deps = await store_of(request).list_dependencies(auth.tenant.id, batch.id)
    return ok(
        {
            "dependencies": [
                {"blocker": d.blocker_key, "blocked": d.blocked_key, "manual": d.manual} for d in deps
            ]
        }
    )


async def _edge(request: Request, auth: Auth) -> tuple[str, str, str]:
    batch = await project_batch(request, auth)
    body = await json_body(request)
    blocker = text_field(body, "blocker", max_len=300)
    blocked = text_field(body, "blocked", max_len=300)
    assert blocker is not None and blocked is not None
    return batch.id, blocker, blocked


@api_endpoint
async def add_dependency(request: Request, auth: Auth) -> JSONResponse:
    batch_id, blocker, blocked = await _edge(request, auth)
    added = await store_of(request).add_dependency(auth.tenant.id, batch_id, blocker, blocked)
    return ok({"added": added, "blocker": blocker, "blocked": blocked}, status=201 if added else 200)


@api_endpoint
async def remove_dependency(request: Request, auth: Auth) -> JSONResponse:
    batch_id, blocker, blocked = await _edge(request, auth)
    store = store_of(request)
    if not await store.remove_dependency(auth.tenant.id, batch_id, blocker, blocked):
        summary = {d.key: d.summary for d in await store.list_drafts(auth.tenant.id, batch_id)}
        names = [
            f"“{summary[k]}”" if k in summary else f"the draft {k} (not in this batch)"
            for k in (blocker, blocked)
        ]
        raise ApiError(404, "dependency_not_found", f"{names[0]} does not block {names[1]}.")
    return ok({"removed": True, "blocker": blocker, "blocked": blocked})
