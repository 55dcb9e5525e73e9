"""The Jira Software REST API (`/rest/agile/1.0`) of the sandbox: the project's boards, a board's sprints, and
moving issues into a sprint (`agile.py` holds the boards and sprints).

As Atlassian documents them (Jira Software Cloud REST, Board and Sprint groups; not in the platform OpenAPI):
boards and sprints page as `{maxResults, startAt, total?, isLast, values}`; `state` filters sprints by a
comma-separated list of future, active and closed; a board that does not exist answers 404. Moving issues:
at most 50 a request, only into an active or future sprint (a closed one answers 400), 204 with no body; the
caller needs to be allowed to schedule the issues (the sandbox asks for Assign Issues in their project).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox import agile
from sandbox._utils import JiraProblem, answers_like_jira, json_body
from sandbox.catalog import SPRINT_FIELD_KEY
from sandbox.permissions import APP
from sandbox.rest import JiraRest

AGILE = "/rest/agile/1.0"
MOVE_LIMIT = 50
NO_BOARD = "Board does not exist or you do not have permission to see it."


class JiraAgile(JiraRest):
    def routes(self) -> list[Route]:
        return [
            Route(f"{AGILE}/board", self.boards, methods=["GET"]),
            Route(f"{AGILE}/board/{{board_id}}/sprint", self.sprints, methods=["GET"]),
            Route(f"{AGILE}/sprint/{{sprint_id}}/issue", self.move_to_sprint, methods=["POST"]),
        ]

    @answers_like_jira
    async def boards(self, request: Request) -> Response:
        self.authenticate(request)
        found = agile.boards(self.state.store, self.state.settings)
        wanted = request.query_params.get("projectKeyOrId")
        if wanted is not None:
            project = self.state.store.project(wanted)
            if project is None:
                raise JiraProblem(400, f"No project could be found with key or id '{wanted}'.")
            found = [b for b in found if b.project_key == project["key"]]
        kind = request.query_params.get("type")
        if kind is not None:
            found = found if "scrum" in {k.strip() for k in kind.split(",")} else []  # every board is Scrum
        values = [agile.board_json(b, self.state.base_url) for b in found]
        return JSONResponse(_page(request, values, total=True))

    @answers_like_jira
    async def sprints(self, request: Request) -> Response:
        self.authenticate(request)
        board = agile.board(self.state.store, self.state.settings, _number(request.path_params["board_id"]))
        if board is None:
            raise JiraProblem(404, NO_BOARD)
        states = [s.strip() for s in request.query_params.get("state", "").split(",") if s.strip()]
        if unknown := [s for s in states if s not in agile.SPRINT_STATES]:
            raise JiraProblem(
                400, f"Invalid sprint state '{unknown[0]}': use {', '.join(agile.SPRINT_STATES[::-1])}."
            )
        values = [
            agile.sprint_json(s, self.state.base_url)
            for s in agile.sprints_of(board)
            if not states or s.state in states
        ]
        return JSONResponse(_page(request, values, total=False))

    @answers_like_jira
    async def move_to_sprint(self, request: Request) -> Response:
        self.authenticate(request)
        sprint = agile.sprint(
            self.state.store, self.state.settings, _number(request.path_params["sprint_id"])
        )
        if sprint is None:
            raise JiraProblem(404, "Sprint does not exist or you do not have permission to see it.")
        body = await json_body(request)
        refs = body.get("issues") if isinstance(body, dict) else None
        if not isinstance(refs, list) or not refs or not all(isinstance(r, str) for r in refs):
            raise JiraProblem(400, "'issues' must be a non-empty list of issue keys or ids.")
        if len(refs) > MOVE_LIMIT:
            raise JiraProblem(
                400, f"At most {MOVE_LIMIT} issues can be moved to a sprint at once (got {len(refs)})."
            )
        if sprint.state == "closed":
            raise JiraProblem(
                400, f"Sprint {sprint.name} is closed: issues can only be moved to open or active sprints."
            )
        store = self.state.store
        issues = [store.issue(r) for r in refs]
        if missing := [r for r, issue in zip(refs, issues, strict=True) if issue is None]:
            raise JiraProblem(
                400, f"Issues do not exist or you do not have permission to see them: {', '.join(missing)}."
            )
        caller = self.state.permissions.of(getattr(request.state, "jira_account", APP))
        for issue in issues:
            assert issue is not None
            if caller is None or "ASSIGN_ISSUES" not in caller.in_project(issue.fields["project"]["key"]):
                raise JiraProblem(403, f"You do not have permission to move {issue.key} to a sprint.")
        value = [agile.sprint_field_value(sprint)]
        with store.transaction() as db:
            for issue in issues:
                assert issue is not None
                store.update_fields(db, issue.id, {SPRINT_FIELD_KEY: value})
        return Response(status_code=204)


def _number(raw: str) -> int:
    try:
        return int(raw)
    except ValueError as exc:
        raise JiraProblem(400, f"'{raw}' is not a number.") from exc


def _page(request: Request, values: list[Any], *, total: bool) -> dict[str, Any]:
    try:
        start = max(0, int(request.query_params.get("startAt", 0)))
        size = max(1, min(int(request.query_params.get("maxResults", 50)), 50))
    except ValueError as exc:
        raise JiraProblem(400, "startAt and maxResults must be integers.") from exc
    page: dict[str, Any] = {"maxResults": size, "startAt": start}
    if total:
        page["total"] = len(values)
    page["isLast"] = start + size >= len(values)
    page["values"] = values[start : start + size]
    return page
