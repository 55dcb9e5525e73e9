"""The sandbox's Jira REST API (v3 subset). Every call must carry the app's JWT with the right QSH."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.connect.errors import ApiError
from app.connect.tokens import extract_token, request_qsh, unverified_issuer, verify_hs256
from app.sandbox._utils import JiraProblem, answers_like_jira, json_body
from app.sandbox.issues import (
    ISSUE_TYPES,
    LINK_TYPES,
    PROPERTY_VALUE_LIMIT,
    create_fields,
    create_issue,
    link_type,
    link_type_json,
)
from app.sandbox.state import SandboxState
from app.sandbox.store import Installation, Issue
from app.sandbox.validation import check_body
from app.sandbox.views import attachment_entry, issue_json

BULK_LIMIT = 50
NO_ISSUE = "Issue does not exist or you do not have permission to see it."


class JiraRest:
    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def routes(self) -> list[Route]:
        api = "/rest/api/3"
        return [
            Route(f"{api}/project/{{key}}", self.get_project, methods=["GET"]),
            Route(f"{api}/issue/createmeta/{{key}}/issuetypes", self.create_meta_types, methods=["GET"]),
            Route(
                f"{api}/issue/createmeta/{{key}}/issuetypes/{{type_id}}",
                self.create_meta_fields,
                methods=["GET"],
            ),
            Route(f"{api}/issueLinkType", self.link_types, methods=["GET"]),
            Route(f"{api}/issue/bulk", self.bulk_create, methods=["POST"]),
            Route(f"{api}/issue", self.create, methods=["POST"]),
            Route(f"{api}/issue/{{key}}", self.get_issue, methods=["GET"]),
            Route(f"{api}/issueLink", self.create_link, methods=["POST"]),
            Route(f"{api}/issue/{{key}}/attachments", self.add_attachments, methods=["POST"]),
            Route(f"{api}/issue/{{key}}/properties/{{prop}}", self.property, methods=["GET", "PUT"]),
        ]

    # --- plumbing ---------------------------------------------------------------------------------------

    def authenticate(self, request: Request) -> Installation:
        try:
            token = extract_token(request)
            if not token:
                raise JiraProblem(401, "Client must be authenticated to access this resource.")
            installation = self.state.store.installation(unverified_issuer(token))
            if installation is None:
                raise JiraProblem(401, "Add-on is not installed on this site.")
            verify_hs256(
                token,
                installation.shared_secret,
                expected_qsh=request_qsh(request, base_path=self.state.context_path),
                allow_context_qsh=False,
            )
        except ApiError as exc:
            raise JiraProblem(401, f"Authentication failed: {exc.message}") from exc
        return installation

    def issue_or_404(self, key: str) -> Issue:
        issue = self.state.store.issue(key)
        if issue is None:
            raise JiraProblem(404, NO_ISSUE)
        return issue

    def project_or_404(self, key: str) -> Any:
        project = self.state.store.project(key)
        if project is None:
            raise JiraProblem(404, f"No project could be found with key '{key}'.")
        return project

    def _type_json(self, t: Any) -> dict[str, Any]:
        return {
            "id": t.id,
            "name": t.name,
            "subtask": t.subtask,
            "description": "",
            "self": f"{self.state.base_url}/rest/api/3/issuetype/{t.id}",
            "hierarchyLevel": -1 if t.subtask else 0,
        }

    # --- metadata -------------------------------------------------------------------------------------------

    @answers_like_jira
    async def get_project(self, request: Request) -> Response:
        self.authenticate(request)
        project = self.project_or_404(request.path_params["key"])
        return JSONResponse(
            {
                "id": str(project["id"]),
                "key": project["key"],
                "name": project["name"],
                "self": f"{self.state.base_url}/rest/api/3/project/{project['id']}",
                "projectTypeKey": "software",
                "simplified": False,
                "style": "classic",
                "issueTypes": [self._type_json(t) for t in ISSUE_TYPES],
            }
        )

    @answers_like_jira
    async def create_meta_types(self, request: Request) -> Response:
        self.authenticate(request)
        self.project_or_404(request.path_params["key"])
        types = [self._type_json(t) for t in ISSUE_TYPES]
        return JSONResponse(_page(request, types, "issueTypes"))

    @answers_like_jira
    async def create_meta_fields(self, request: Request) -> Response:
        self.authenticate(request)
        self.project_or_404(request.path_params["key"])
        t = next((t for t in ISSUE_TYPES if t.id == request.path_params["type_id"]), None)
        if t is None:
            raise JiraProblem(
                404, "Issue type with given ID does not exist or you do not have permission to see it."
            )
        return JSONResponse(_page(request, create_fields(self.state.settings, t), "fields"))

    @answers_like_jira
    async def link_types(self, request: Request) -> Response:
        self.authenticate(request)
        return JSONResponse({"issueLinkTypes": [link_type_json(t, self.state.base_url) for t in LINK_TYPES]})

    # --- issues ----------------------------------------------------------------------------------------------

    def _created(self, issue: Issue) -> dict[str, str]:
        return {
            "id": str(issue.id),
            "key": issue.key,
            "self": f"{self.state.base_url}/rest/api/3/issue/{issue.id}",
        }

    @answers_like_jira
    async def create(self, request: Request) -> Response:
        self.authenticate(request)
        body = await json_body(request)
        check_body("createIssue", body)
        store = self.state.store
        with store.transaction() as db:
            issue = create_issue(db, store, self.state.settings, body)
        return JSONResponse(self._created(issue), status_code=201)

    @answers_like_jira
    async def bulk_create(self, request: Request) -> Response:
        self.authenticate(request)
        body = await json_body(request)
        check_body("createIssues", body)
        updates = body.get("issueUpdates") or []
        if len(updates) > BULK_LIMIT:
            raise JiraProblem(
                400, f"The number of issues to create ({len(updates)}) exceeds the limit of {BULK_LIMIT}."
            )
        created, errors = [], []
        store = self.state.store
        for index, details in enumerate(updates):
            try:
                with store.transaction() as db:
                    created.append(self._created(create_issue(db, store, self.state.settings, details)))
            except JiraProblem as problem:
                errors.append(
                    {
                        "status": problem.status,
                        "failedElementNumber": index,
                        "elementErrors": {"errorMessages": problem.messages, "errors": problem.errors},
                    }
                )
        status = 201 if created or not updates else 400
        return JSONResponse({"issues": created, "errors": errors}, status_code=status)

    @answers_like_jira
    async def get_issue(self, request: Request) -> Response:
        self.authenticate(request)
        issue = self.issue_or_404(request.path_params["key"])
        fields = _csv(request.query_params.getlist("fields"))
        properties = _csv(request.query_params.getlist("properties"))
        return JSONResponse(
            issue_json(
                self.state.store,
                issue,
                self.state.base_url,
                fields=fields or None,
                properties=properties or None,
            )
        )

    @answers_like_jira
    async def create_link(self, request: Request) -> Response:
        self.authenticate(request)
        body = await json_body(request)
        check_body("linkIssues", body)
        t = link_type(body["type"])
        if t is None:
            raise JiraProblem(
                404,
                f"No issue link type with name '{body['type'].get('name', body['type'].get('id'))}' found.",
            )
        inward, outward = (
            self.issue_or_404(str(body[side].get("key") or body[side].get("id") or ""))
            for side in ("inwardIssue", "outwardIssue")
        )
        if inward.id == outward.id:
            raise JiraProblem(400, "You cannot link an issue to itself.")
        store = self.state.store
        with store.transaction() as db:
            before = db.total_changes
            store.add_link(db, t.id, inward.id, outward.id)
            if db.total_changes == before:
                self.state.stats.event("duplicate_link_requests")
        return Response(status_code=201)

    @answers_like_jira
    async def add_attachments(self, request: Request) -> Response:
        self.authenticate(request)
        if request.headers.get("x-atlassian-token", "").lower() != "no-check":
            raise JiraProblem(403, "XSRF check failed")
        issue = self.issue_or_404(request.path_params["key"])
        form = await request.form(max_files=60)
        files = [f for f in form.getlist("file") if not isinstance(f, str)]
        if not files:
            raise JiraProblem(400, "No file was attached in the multipart field 'file'.")
        limit = self.state.settings.max_attachment_bytes
        contents = [(f, await f.read()) for f in files]
        if any(len(content) > limit for _, content in contents):
            raise JiraProblem(413, f"The attachment exceeds the maximum size of {limit} bytes.")
        added = [
            self.state.store.add_attachment(
                issue.id, f.filename or "attachment", f.content_type or "application/octet-stream", content
            )
            for f, content in contents
        ]
        await form.close()
        return JSONResponse([attachment_entry(a, self.state.base_url) for a in added])

    @answers_like_jira
    async def property(self, request: Request) -> Response:
        self.authenticate(request)
        issue = self.issue_or_404(request.path_params["key"])
        key = request.path_params["prop"]
        if request.method == "GET":
            value = self.state.store.properties(issue.id)
            if key not in value:
                raise JiraProblem(404, f"The property with key '{key}' does not exist.")
            return JSONResponse({"key": key, "value": value[key]})
        raw = await request.body()
        if len(raw) > PROPERTY_VALUE_LIMIT:
            raise JiraProblem(
                400, f"The property value exceeds the maximum length of {PROPERTY_VALUE_LIMIT} bytes."
            )
        if len(key) > 255:
            raise JiraProblem(400, "The property key must be between 1 and 255 characters long.")
        value = await json_body(request)
        check_body("setIssueProperty", value)
        created = self.state.store.set_property(issue.id, key, value)
        return Response(status_code=201 if created else 200)


def _csv(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _page(request: Request, items: list[Any], name: str) -> dict[str, Any]:
    try:
        start = max(0, int(request.query_params.get("startAt", 0)))
        size = max(1, min(int(request.query_params.get("maxResults", 50)), 200))
    except ValueError as exc:
        raise JiraProblem(400, "startAt and maxResults must be integers.") from exc
    return {name: items[start : start + size], "maxResults": size, "startAt": start, "total": len(items)}
