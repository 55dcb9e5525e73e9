"""The sandbox's issue endpoints: create (one or in bulk), read (one or in bulk), link, attach and delete
files, issue properties."""

from __future__ import annotations

import random

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox._utils import JiraProblem, answers_like_jira, json_body
from sandbox.catalog import ISSUE_TYPES, issue_type, link_type
from sandbox.issues import PROPERTY_VALUE_LIMIT, create_issue, edit_issue
from sandbox.permissions import APP
from sandbox.planning_fields import planning_values
from sandbox.rest import JiraRest
from sandbox.store import Issue
from sandbox.validation import check_body
from sandbox.views import attachment_entry, issue_json

BULK_LIMIT = 50
FETCH_LIMIT = 100
FETCH_PROPERTY_LIMIT = 5


class JiraIssues(JiraRest):
    def routes(self) -> list[Route]:
        api = "/rest/api/3"
        return [
            Route(f"{api}/issue/bulk", self.bulk_create, methods=["POST"]),
            Route(f"{api}/issue/bulkfetch", self.bulk_fetch, methods=["POST"]),
            Route(f"{api}/issue", self.create, methods=["POST"]),
            Route(f"{api}/issue/{{key}}", self.get_issue, methods=["GET"]),
            Route(f"{api}/issue/{{key}}", self.edit, methods=["PUT"]),
            Route(f"{api}/issue/{{key}}/assignee", self.assign, methods=["PUT"]),
            Route(f"{api}/issueLink", self.create_link, methods=["POST"]),
            Route(f"{api}/issueLink/{{link}}", self.delete_link, methods=["DELETE"]),
            Route(f"{api}/issue/{{key}}/attachments", self.add_attachments, methods=["POST"]),
            Route(f"{api}/attachment/{{id}}", self.remove_attachment, methods=["DELETE"]),
            Route(f"{api}/issue/{{key}}/properties/{{prop}}", self.property, methods=["GET", "PUT"]),
        ]

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
            issue = create_issue(
                db, store, self.state.settings, body, people=self.state.directory, caller=_caller(request)
            )
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
                    issue = create_issue(
                        db,
                        store,
                        self.state.settings,
                        details,
                        people=self.state.directory,
                        caller=_caller(request),
                    )
                    created.append(self._created(issue))
            except JiraProblem as problem:
                errors.append(
                    {
                        "status": problem.status,
                        "failedElementNumber": index,
                        "elementErrors": {"errorMessages": problem.messages, "errors": problem.errors},
                    }
                )
        if self.state.settings.shuffle_bulk_results:
            created = _out_of_order(created, self.state.rng)
        status = 201 if created or not updates else 400
        return JSONResponse({"issues": created, "errors": errors}, status_code=status)

    @answers_like_jira
    async def bulk_fetch(self, request: Request) -> Response:
        """Consistent, unlike search. Jira's documented behaviour: up to 100 ids or keys (400 for none or
        more), up to 5 property keys, unknown ones left out of the answer (not reported as errors), the
        rest in ascending id order, `fields` defaulting to the navigable ones."""
        self.authenticate(request)
        body = await json_body(request)
        check_body("bulkFetchIssues", body)
        wanted = body["issueIdsOrKeys"]
        if not 0 < len(wanted) <= FETCH_LIMIT:
            raise JiraProblem(
                400, f"Provide between 1 and {FETCH_LIMIT} issue IDs or keys (got {len(wanted)})."
            )
        properties = body.get("properties") or []
        if len(properties) > FETCH_PROPERTY_LIMIT:
            raise JiraProblem(
                400, f"A maximum of {FETCH_PROPERTY_LIMIT} issue property keys can be specified."
            )
        store = self.state.store
        found = {issue.id: issue for issue in (store.issue(str(ref)) for ref in wanted) if issue is not None}
        fields = body.get("fields") or None
        issues = [
            issue_json(self.state, found[i], fields=fields, properties=properties or None)
            for i in sorted(found)
        ]
        return JSONResponse({"expand": "", "issues": issues, "issueErrors": []})

    @answers_like_jira
    async def get_issue(self, request: Request) -> Response:
        self.authenticate(request)
        issue = self.issue_or_404(request.path_params["key"])
        fields = _csv(request.query_params.getlist("fields"))
        properties = _csv(request.query_params.getlist("properties"))
        return JSONResponse(
            issue_json(
                self.state,
                issue,
                fields=fields or None,
                properties=properties or None,
            )
        )

    @answers_like_jira
    async def edit(self, request: Request) -> Response:
        """Jira answers 204 with no body (unless `returnIssue=true`, which the app never asks for)."""
        self.authenticate(request)
        issue = self.issue_or_404(request.path_params["key"])
        body = await json_body(request)
        check_body("editIssue", body)
        store = self.state.store
        with store.transaction() as db:
            edit_issue(
                db,
                store,
                self.state.settings,
                issue,
                body,
                people=self.state.directory,
                caller=_caller(request),
            )
        self.state.stats.event("issue_edits")
        if "description" in (body.get("fields") or {}) or "description" in (body.get("update") or {}):
            self.state.stats.event("description_edits")  # told apart from label-only edits
        return Response(status_code=204)

    @answers_like_jira
    async def assign(self, request: Request) -> Response:
        """Jira's assignIssue: needs Assign Issues (not Edit Issues) and no screen, so it assigns an issue
        whose screens lack Assignee; the person must be assignable in the project, `null` unassigns. 204."""
        self.authenticate(request)
        issue = self.issue_or_404(request.path_params["key"])
        body = await json_body(request)
        if not isinstance(body, dict) or not ({"accountId", "name"} & set(body)):
            raise JiraProblem(
                400, errors={"assignee": "Specify the assignee by accountId, or null for unassigned."}
            )
        project = str(issue.fields["project"]["key"])
        people = self.state.directory
        if not people.may_assign(project, _caller(request)):
            raise JiraProblem(403, "You do not have permission to assign issues.")
        errors: dict[str, str] = {}
        value = planning_values(
            {"assignee": None if body.get("accountId") is None else {"accountId": body["accountId"]}},
            t=issue_type(issue.fields.get("issuetype")) or ISSUE_TYPES[0], project_key=project,
            store=self.state.store, settings=self.state.settings, people=people, errors=errors, messages=[],
        )  # fmt: skip
        if errors:
            raise JiraProblem(400, errors=errors)
        store = self.state.store
        with store.transaction() as db:
            store.update_fields(db, issue.id, value)
        self.state.stats.event("issue_edits")
        return Response(status_code=204)

    @answers_like_jira
    async def create_link(self, request: Request) -> Response:
        self.authenticate(request)
        body = await json_body(request)
        check_body("linkIssues", body)
        t = link_type(self.state.settings, body["type"])
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
    async def delete_link(self, request: Request) -> Response:
        """`deleteIssueLink`: 204; 400 for an id that is not one, 404 for a link that does not exist (so a
        delete sent again after a lost answer is told the link is gone)."""
        self.authenticate(request)
        link = request.path_params["link"]
        if not link.isdigit():
            raise JiraProblem(400, "The issue link ID is invalid.")
        if not self.state.store.remove_link(int(link)):
            raise JiraProblem(404, f"No issue link with id '{link}' exists.")
        return Response(status_code=204)

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
                issue.id,
                f.filename or "attachment",
                f.content_type or "application/octet-stream",
                content,
                author=_caller(request),
            )
            for f, content in contents
        ]
        await form.close()
        return JSONResponse([attachment_entry(a, self.state) for a in added])

    @answers_like_jira
    async def remove_attachment(self, request: Request) -> Response:
        """`removeAttachment`: 204. Jira lets the caller delete its own uploads with Delete Own Attachments and
        anyone's with Delete All Attachments, in the issue's project; else 403. 404 for an id it does not
        hold, so a delete sent again after a lost answer is told the file is gone."""
        self.authenticate(request)
        raw = request.path_params["id"]
        found = self.state.store.attachment_content(int(raw)) if raw.isdigit() else None
        if found is None:
            raise JiraProblem(404, f"The attachment with id '{raw}' does not exist")
        attachment = found[0]
        issue = self.state.store.issue(str(attachment.issue_id))
        caller = _caller(request)
        grants = self.state.permissions.of(caller)
        held = grants.in_project(str(issue.fields["project"]["key"])) if grants and issue else frozenset()
        own = attachment.author == caller and "DELETE_OWN_ATTACHMENTS" in held
        if not own and "DELETE_ALL_ATTACHMENTS" not in held:
            raise JiraProblem(403, "You do not have permission to delete attachments on this issue.")
        self.state.store.remove_attachment(attachment.id)
        return Response(status_code=204)

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


def _out_of_order(items: list[dict[str, str]], rng: random.Random) -> list[dict[str, str]]:
    """Shuffled, and never left in request order when it can be changed: a client that pairs by position
    must meet the order it cannot rely on, every time."""
    shuffled = list(items)
    rng.shuffle(shuffled)
    if len(shuffled) > 1 and shuffled == items:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


def _caller(request: Request) -> str:
    """Whose permissions apply: a Forge token's account, else the app's own user."""
    return str(getattr(request.state, "jira_account", APP))


def _csv(values: list[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]
