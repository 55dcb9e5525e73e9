"""The sandbox's project metadata: project, create-screen issue types and fields, issue link types."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox._utils import JiraProblem, answers_like_jira
from sandbox.catalog import ISSUE_TYPES, IssueTypeDef, create_fields, link_type_json, link_types
from sandbox.permissions import APP
from sandbox.rest import JiraRest


class JiraMetadata(JiraRest):
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
        ]

    def _type_json(self, t: IssueTypeDef) -> dict[str, Any]:
        return {
            "id": t.id,
            "name": t.name,
            "subtask": t.subtask,
            "description": "",
            "self": f"{self.state.base_url}/rest/api/3/issuetype/{t.id}",
            "hierarchyLevel": t.hierarchy_level,
        }

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
        project = self.project_or_404(request.path_params["key"])
        # createmeta lists the types the caller may create: none at all without Create Issues
        app = self.state.permissions.of(APP)
        can_create = app is not None and "CREATE_ISSUES" in app.in_project(str(project["key"]))
        types = (
            [self._type_json(t) for t in ISSUE_TYPES]
            if self.state.settings.app_can_create and can_create
            else []
        )
        return JSONResponse(_page(request, types, "issueTypes"))

    @answers_like_jira
    async def create_meta_fields(self, request: Request) -> Response:
        self.authenticate(request)
        project = self.project_or_404(request.path_params["key"])
        t = next((t for t in ISSUE_TYPES if t.id == request.path_params["type_id"]), None)
        if t is None:
            raise JiraProblem(
                404, "Issue type with given ID does not exist or you do not have permission to see it."
            )
        caller = str(getattr(request.state, "jira_account", APP))
        may_assign = self.state.directory.may_assign(str(project["key"]), caller)
        return JSONResponse(
            _page(request, create_fields(self.state.settings, t, may_assign=may_assign), "fields")
        )

    @answers_like_jira
    async def link_types(self, request: Request) -> Response:
        self.authenticate(request)
        return JSONResponse(
            {
                "issueLinkTypes": [
                    link_type_json(t, self.state.base_url) for t in link_types(self.state.settings)
                ]
            }
        )


def _page(request: Request, items: list[Any], name: str) -> dict[str, Any]:
    try:
        start = max(0, int(request.query_params.get("startAt", 0)))
        size = max(1, min(int(request.query_params.get("maxResults", 50)), 200))
    except ValueError as exc:
        raise JiraProblem(400, "startAt and maxResults must be integers.") from exc
    return {name: items[start : start + size], "maxResults": size, "startAt": start, "total": len(items)}
