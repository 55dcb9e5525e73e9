"""Issue transitions as a company-managed project's simplified workflow has them (`getTransitions`,
`doTransition` in the reference OpenAPI): three statuses, each reachable from the others by a global
transition, no transition screen. How a person moves an issue to Done in the sandbox, for what the app must
then tell apart (a re-sync comments on a Done issue instead of editing it).

Like Jira: the transition to the status an issue is already in is not offered and is refused (400); a
transition id that is not one (400); `fields` or `update` with no screen to take them (400, per field);
204 with no body on success.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox._utils import JiraProblem, answers_like_jira, json_body
from sandbox.issues import _not_settable as not_on_screen
from sandbox.rest import JiraRest
from sandbox.store import Issue
from sandbox.validation import check_body

STATUSES = {
    "10000": {"id": "10000", "name": "To Do", "statusCategory": {"key": "new", "name": "To Do"}},
    "10001": {"id": "10001", "name": "In Progress", "statusCategory": {"key": "indeterminate", "name": "In Progress"}},
    "10002": {"id": "10002", "name": "Done", "statusCategory": {"key": "done", "name": "Done"}},
}  # fmt: skip
TRANSITIONS = {"11": "10000", "21": "10001", "31": "10002"}  # transition id -> the status it goes to


class JiraTransitions(JiraRest):
    def routes(self) -> list[Route]:
        path = "/rest/api/3/issue/{key}/transitions"
        return [Route(path, self.list, methods=["GET"]), Route(path, self.move, methods=["POST"])]

    @answers_like_jira
    async def list(self, request: Request) -> Response:
        self.authenticate(request)
        issue = self.issue_or_404(request.path_params["key"])
        wanted = request.query_params.get("transitionId")
        offered = [_transition(t, to) for t, to in _available(issue).items() if wanted in (None, t)]
        return JSONResponse({"expand": "transitions", "transitions": offered})

    @answers_like_jira
    async def move(self, request: Request) -> Response:
        self.authenticate(request)
        issue = self.issue_or_404(request.path_params["key"])
        body = await json_body(request)
        check_body("doTransition", body)
        transition = (body.get("transition") or {}).get("id")
        if not transition:
            raise JiraProblem(400, "Missing 'transition' identifier")
        to = _available(issue).get(str(transition))
        if to is None:
            raise JiraProblem(400, f"Transition id '{transition}' is not valid for this issue.")
        unscreened = [*(body.get("fields") or {}), *(body.get("update") or {})]
        if unscreened:  # no transition of this workflow has a screen
            raise JiraProblem(400, errors={name: not_on_screen(name) for name in unscreened})
        store = self.state.store
        with store.transaction() as db:
            store.update_fields(db, issue.id, {"status": STATUSES[to]})
        self.state.stats.event("transitions")
        return Response(status_code=204)


def _available(issue: Issue) -> dict[str, str]:
    now = str((issue.fields.get("status") or {}).get("id") or "10000")
    return {t: to for t, to in TRANSITIONS.items() if to != now}


def _transition(transition: str, to: str) -> dict[str, Any]:
    return {
        "id": transition, "name": STATUSES[to]["name"], "to": STATUSES[to], "hasScreen": False,
        "isGlobal": True, "isInitial": False, "isAvailable": True, "isConditional": False, "isLooped": False,
    }  # fmt: skip
