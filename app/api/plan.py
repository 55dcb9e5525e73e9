"""The batch's plan in Jira's terms (issue 16): who builds each work category, per-draft assignees, the sprint,
and per-draft category and story-point edits; with the totals per person and per category, a search of the
project's assignable people and the project's boards with their open sprints.

A change of the plan is an edit of the batch (a new revision: an approval given before it no longer holds).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.requests import Request
from starlette.responses import JSONResponse

from app.api._utils import json_body, ok, project_batch, store_of
from app.connect.auth import Auth, api_endpoint
from app.connect.errors import ApiError
from app.connect.jira_users import known_names
from app.hosts import WaitingForAuthorization, jira_client
from app.jira import JiraClient, JiraError
from app.store import Batch
from ticketgen.drafts.model import CATEGORIES
from ticketgen.export.assignment import BatchPlan, totals

T = TypeVar("T")
QUERY_MAX = 100
PEOPLE_FIELDS = ("people", "overrides")  # category → person, draft key → person
PLAN_FIELDS = {*PEOPLE_FIELDS, "sprint"}
DRAFT_FIELDS = {"categories", "points"}


@api_endpoint
async def get_plan(request: Request, auth: Auth) -> JSONResponse:
    batch = await project_batch(request, auth)
    plan = await store_of(request).get_plan(auth.tenant.id, batch.id)
    return ok(await _answer(request, auth, batch, plan or BatchPlan()))


@api_endpoint
async def edit_plan(request: Request, auth: Auth) -> JSONResponse:
    """Body: any of `people` (category → person or null), `overrides` (draft key → person or null), `sprint`
    (a sprint id, or null for the backlog), `categories` (draft key → category), `points` (draft key →
    story points). A person is a Jira account id or `{account_id, display_name, avatar_url}`."""
    batch = await project_batch(request, auth)
    body = await json_body(request)
    unknown = set(body) - PLAN_FIELDS - DRAFT_FIELDS
    if unknown:
        known = ", ".join(sorted(PLAN_FIELDS | DRAFT_FIELDS))
        raise ApiError(422, "unknown_field", f"These plan fields are unknown: {', '.join(sorted(unknown))} "
                       f"(known: {known}).")  # fmt: skip
    for name in DRAFT_FIELDS & set(body):
        if not isinstance(body[name], dict):
            raise ApiError(422, "invalid_field", f"'{name}' must be an object of draft key → value.")
    store = store_of(request)
    plan = await store.update_plan(
        auth.tenant.id, batch.id, await _named({k: v for k, v in body.items() if k in PLAN_FIELDS}, request, auth),
        categories=body.get("categories", {}), points=body.get("points", {}), by=auth.account_id,
    )  # fmt: skip
    if plan is None:
        raise ApiError(404, "batch_not_found", "This batch does not exist in this project.")
    changed = await store.get_batch(auth.tenant.id, batch.id)
    return ok(await _answer(request, auth, changed or batch, plan))


@api_endpoint
async def search_users(request: Request, auth: Auth) -> JSONResponse:
    """`?query=`: the start of a name or address; people who can be assigned issues in the project."""
    batch = await project_batch(request, auth)
    query = request.query_params.get("query", "").strip()
    if not query or len(query) > QUERY_MAX:
        raise ApiError(
            422, "invalid_query", f"Give the start of a name in 'query' (1 to {QUERY_MAX} characters)."
        )
    users = await _ask_jira(
        request, auth, batch, lambda jira: jira.assignable_users(batch.project_key, query)
    )
    return ok({"users": [{"account_id": u.account_id, "display_name": u.display_name,
                          "avatar_url": u.avatar_url} for u in users]})  # fmt: skip


@api_endpoint
async def list_sprints(request: Request, auth: Auth) -> JSONResponse:
    """The project's boards and, for Scrum boards, their active and future sprints. No board: the issues can
    only go to the backlog."""
    batch = await project_batch(request, auth)

    def read(jira: JiraClient) -> list[dict[str, Any]]:
        boards = []
        for board in jira.boards(batch.project_key):
            sprints = jira.open_sprints(board.id) if board.type == "scrum" else []
            boards.append({"id": board.id, "name": board.name, "type": board.type,
                           "sprints": [{"id": s.id, "name": s.name, "state": s.state} for s in sprints]})  # fmt: skip
        return boards

    return ok({"boards": await _ask_jira(request, auth, batch, read)})


async def _answer(request: Request, auth: Auth, batch: Batch, plan: BatchPlan) -> dict[str, Any]:
    store = store_of(request)
    drafts = await store.load_drafts(auth.tenant.id, batch.id)
    settings = await store.get_settings(auth.tenant.id)
    return {
        "plan": plan.to_json(),
        "totals": totals(drafts, plan),
        "categories": list(CATEGORIES),
        "category_as": settings.category_as if settings else "label",
        "revision": batch.revision,
        "status": batch.status,
    }


async def _ask_jira(request: Request, auth: Auth, batch: Batch, fn: Callable[[JiraClient], T]) -> T:
    app_key = request.app.state.config.app_key

    def call() -> T:
        # on the person's behalf (Forge: their own token), so Jira shows what they may see
        with jira_client(auth.tenant, app_key=app_key, token=auth.user_token, timeout_s=15) as jira:
            return fn(jira)

    try:
        return await asyncio.to_thread(call)
    except JiraError as exc:
        why = (
            "Jira did not answer" if exc.status is None else f"Jira answered HTTP {exc.status}: {exc.message}"
        )
        raise ApiError(503, "jira_unavailable", f"The app could not read project {batch.project_key}'s "
                       f"people or sprints ({why}). Try again in a minute.") from exc  # fmt: skip
    except WaitingForAuthorization as exc:
        raise ApiError(503, "waiting_for_authorization", "The app is waiting for Jira authorization (Forge "
                       "brings a fresh token within minutes); try again then.") from exc  # fmt: skip


async def _named(changes: dict[str, Any], request: Request, auth: Auth) -> dict[str, Any]:
    """People given by account id alone get Jira's display name here, so nothing downstream (the export's
    refusal, Slack) ever has only an id to show."""
    people = {field: changes[field] for field in PEOPLE_FIELDS if isinstance(changes.get(field), dict)}
    unnamed = {account for given in people.values() for p in given.values() if (account := _unnamed(p))}
    if not unnamed:
        return changes
    names = await known_names(request.app.state.user_names, auth.tenant, sorted(unnamed))

    def named(person: Any) -> Any:
        account = _unnamed(person)
        if account not in names:
            return person
        return {
            **(person if isinstance(person, dict) else {}),
            "account_id": account,
            "display_name": names[account],
        }

    return {**changes, **{field: {k: named(p) for k, p in given.items()} for field, given in people.items()}}


def _unnamed(person: Any) -> str | None:
    """The account id of a person given without a display name (a bare id, or an object lacking one)."""
    if isinstance(person, str):
        return person or None
    if isinstance(person, dict) and not person.get("display_name"):
        account = person.get("account_id")
        return account if isinstance(account, str) and account else None
    return None
