"""Issue comments as Jira's REST v3 has them (`addComment`, `getComments` in the reference OpenAPI): a comment
body is an ADF document (empty or invalid: 400; over 32,767 characters: 400), with optional entity properties
(`properties: [{key, value}]`) that `GET …/comment?expand=properties` returns; comments come in pages of
`startAt`/`maxResults`, oldest first unless `orderBy=-created`. A comment posted twice is two comments:
Jira does not deduplicate, so a client that resends one after a lost answer must look for it first."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox._utils import JiraProblem, answers_like_jira, json_body
from sandbox.issues import DESCRIPTION_LIMIT, PROPERTY_VALUE_LIMIT
from sandbox.records import StoredComment
from sandbox.rest import JiraRest
from sandbox.validation import adf_problems, check_body
from sandbox.views import iso

PAGE_LIMIT = 100
EMPTY = "Comment body can not be empty!"


class JiraComments(JiraRest):
    def routes(self) -> list[Route]:
        path = "/rest/api/3/issue/{key}/comment"
        return [Route(path, self.add, methods=["POST"]), Route(path, self.list, methods=["GET"])]

    @answers_like_jira
    async def add(self, request: Request) -> Response:
        self.authenticate(request)
        issue = self.issue_or_404(request.path_params["key"])
        body = await json_body(request)
        check_body("addComment", body)
        adf = body.get("body")
        if not isinstance(adf, dict) or not adf.get("content"):
            raise JiraProblem(400, errors={"comment": EMPTY})
        problems = adf_problems(adf)
        if problems:
            raise JiraProblem(
                400, errors={"comment": f"Comment body is not valid ADF (sandbox: {problems[0]})"}
            )
        if len(json.dumps(adf, separators=(",", ":"))) > DESCRIPTION_LIMIT:
            raise JiraProblem(
                400,
                errors={
                    "comment": "The entered text is too long. It exceeds the allowed limit of "
                    f"{DESCRIPTION_LIMIT:,} characters."
                },
            )
        properties = _properties(body.get("properties"))
        comment = self.state.store.add_comment(issue.id, adf, properties)
        self.state.stats.event("comments")
        return JSONResponse(self._json(issue.id, comment, with_properties=False), status_code=201)

    @answers_like_jira
    async def list(self, request: Request) -> Response:
        self.authenticate(request)
        issue = self.issue_or_404(request.path_params["key"])
        query = request.query_params
        start, size = (
            _int(query.get("startAt"), 0, "startAt"),
            _int(query.get("maxResults"), 100, "maxResults"),
        )
        order = query.get("orderBy") or "created"
        if order not in ("created", "-created", "+created"):
            raise JiraProblem(400, f"The orderBy value '{order}' is not supported.")
        expand = {e.strip() for e in (query.get("expand") or "").split(",")}
        comments = self.state.store.comments_of(issue.id)
        if order == "-created":
            comments.reverse()
        size = min(max(size, 0), PAGE_LIMIT)
        page = comments[start : start + size]
        return JSONResponse(
            {
                "startAt": start,
                "maxResults": size,
                "total": len(comments),
                "comments": [self._json(issue.id, c, with_properties="properties" in expand) for c in page],
            }
        )

    def _json(self, issue_id: int, comment: StoredComment, *, with_properties: bool) -> dict[str, Any]:
        found: dict[str, Any] = {
            "self": f"{self.state.base_url}/rest/api/3/issue/{issue_id}/comment/{comment.id}",
            "id": str(comment.id),
            "body": comment.body,
            "created": iso(comment.created),
            "updated": iso(comment.created),
            "jsdPublic": True,
        }
        if with_properties:
            found["properties"] = [{"key": k, "value": v} for k, v in comment.properties.items()]
        return found


def _properties(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    found: dict[str, Any] = {}
    for entry in value if isinstance(value, list) else []:
        key = entry.get("key") if isinstance(entry, dict) else None
        if not isinstance(key, str) or not 0 < len(key) <= 255:
            raise JiraProblem(400, "The property key must be between 1 and 255 characters long.")
        if len(json.dumps(entry.get("value"))) > PROPERTY_VALUE_LIMIT:
            raise JiraProblem(
                400, f"The property value exceeds the maximum length of {PROPERTY_VALUE_LIMIT} bytes."
            )
        found[key] = entry.get("value")
    return found


def _int(value: str | None, default: int, name: str) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise JiraProblem(400, f"The value '{value}' is invalid for the parameter {name}.") from None
