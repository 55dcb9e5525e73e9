"""`GET /rest/api/3/user?accountId=…` and `GET /rest/api/3/user/assignable/search`, answering as Jira does
for the people the site knows (`directory.py`).

From the reference OpenAPI (`getUser`): `accountId` is at most 128 characters; the answer is a `User`
(`self`, `accountId`, `accountType`, `active`, `displayName`, `avatarUrls`, `timeZone`, `locale`; the email
address stays hidden, as profile visibility hides it by default); 401 without valid credentials, 404 for
an account the site does not know. The reference does not say what an empty query answers: the sandbox
answers 400, as Jira Cloud does when no user is named (`username` and `key` are gone under GDPR, so
only `accountId` names one).

`findAssignableUsers`: 400 when none of `project`, `issueKey` or `issueId` is given, when neither `query` nor
`accountId` is, or when both are; 404 for a project or issue not found (the project key is case sensitive).
`GET /avatar/{accountId}` draws the picture `avatarUrls` point at (Jira serves them from its own CDN,
publicly): the person's initials on a colour of their own, as Jira's default avatars are.
`query` matches a prefix of the display name, of its words or of the email address. Jira takes the users in
the range of `startAt` and `maxResults` first and only then keeps the assignable ones, so a page may hold
fewer than `maxResults` users while more follow: the sandbox pages the same way.
"""

from __future__ import annotations

from hashlib import sha256
from html import escape

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox._utils import JiraProblem, answers_like_jira
from sandbox.permissions import APP
from sandbox.rest import NO_ISSUE, JiraRest
from sandbox.team import matches

ACCOUNT_MAX = 128
NO_USER = "Specified user does not exist or you do not have required permissions"
PAGE_MAX = 1000  # Jira reads no further than the thousandth user


class JiraUsers(JiraRest):
    def routes(self) -> list[Route]:
        return [
            Route("/rest/api/3/user", self.user, methods=["GET"]),
            Route("/rest/api/3/user/assignable/search", self.assignable, methods=["GET"]),
            Route("/avatar/{account}", self.avatar, methods=["GET"]),
        ]

    async def avatar(self, request: Request) -> Response:
        account = request.path_params["account"]
        name = self.display_name(account)
        if name is None:
            return Response(status_code=404)
        letters = "".join(w[0] for w in name.split()[:2]).upper() or "?"
        hue = int(sha256(account.encode()).hexdigest()[:4], 16) % 360
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48">'
            f'<circle cx="24" cy="24" r="24" fill="hsl({hue},55%,42%)"/>'
            '<text x="24" y="30" text-anchor="middle" font-family="sans-serif" font-size="18" fill="#fff">'
            f"{escape(letters)}</text></svg>"
        )
        return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"})

    @answers_like_jira
    async def user(self, request: Request) -> Response:
        self.authenticate(request)
        if {"username", "key"} & set(request.query_params):
            raise JiraProblem(400, "The username and key query parameters are not supported; use accountId.")
        account = request.query_params.get("accountId", "")
        if not account:
            raise JiraProblem(400, "The accountId query parameter is required.")
        if len(account) > ACCOUNT_MAX:
            raise JiraProblem(400, f"accountId: size must be between 0 and {ACCOUNT_MAX}")
        if self.display_name(account) is None:
            raise JiraProblem(404, NO_USER)
        return JSONResponse(self.state.directory.user_json(account, self.state.base_url))

    @answers_like_jira
    async def assignable(self, request: Request) -> Response:
        self.authenticate(request)
        params = request.query_params
        if "username" in params:
            raise JiraProblem(400, "The username query parameter is not supported; use accountId or query.")
        query, account = params.get("query"), params.get("accountId")
        if query is None and account is None:
            raise JiraProblem(400, "Either the query or the accountId parameter must be provided.")
        if query is not None and account is not None:
            raise JiraProblem(400, "The query and accountId parameters cannot both be provided.")
        if account is not None and len(account) > ACCOUNT_MAX:
            raise JiraProblem(400, f"accountId: size must be between 0 and {ACCOUNT_MAX}")
        project_key = self._project_key(params.get("project"), params.get("issueKey"), params.get("issueId"))
        start, size = _window(params.get("startAt", "0"), params.get("maxResults", "50"))
        directory = self.state.directory
        caller = self.state.permissions.of(getattr(request.state, "jira_account", APP))
        if caller is None or "ASSIGN_ISSUES" not in caller.in_project(project_key):
            return JSONResponse([])  # Jira's answer to a caller who may not assign: nobody
        window = directory.accounts()[:PAGE_MAX][start : start + size]
        found = [
            a
            for a in window
            if directory.assignable(project_key, a)
            and (
                a == account
                if account is not None
                else matches(
                    query or "", display_name=directory.display_name(a) or "", email=directory.email(a)
                )
            )
        ]
        return JSONResponse([directory.user_json(a, self.state.base_url) for a in found])

    def _project_key(self, project: str | None, issue_key: str | None, issue_id: str | None) -> str:
        if project is not None:
            found = self.state.store.project(project)
            if found is None or project not in (
                found["key"],
                str(found["id"]),
            ):  # keys are case sensitive here
                raise JiraProblem(404, f"No project could be found with key '{project}'.")
            return str(found["key"])
        if issue_key is None and issue_id is None:
            raise JiraProblem(400, "One of the project, issueKey or issueId parameters must be provided.")
        ref = issue_key if issue_key is not None else issue_id
        if issue_key is None and not str(issue_id).isdigit():
            raise JiraProblem(400, f"The issue id '{issue_id}' is not valid.")
        issue = self.state.store.issue(str(ref))
        if issue is None:
            raise JiraProblem(404, NO_ISSUE)
        return str(issue.fields["project"]["key"])

    def display_name(self, account: str) -> str | None:
        return self.state.directory.display_name(account)


def _window(start: str, size: str) -> tuple[int, int]:
    try:
        return max(0, int(start)), max(0, min(int(size), PAGE_MAX))
    except ValueError as exc:
        raise JiraProblem(400, "startAt and maxResults must be integers.") from exc
