"""`POST /rest/api/3/permissions/check` answering as Jira does, from the site's `SitePermissions`.

From the reference OpenAPI (`getBulkPermissions`): the request body is validated against
`BulkPermissionsRequestBean`; without `accountId` it answers for the caller (here the app's user); an
unknown account id, an unknown permission key, a `projectPermissions` entry without a permission, or more
than 1000 project or issue ids is a 400; project and issue ids that match nothing are ignored; the answer
is a `BulkPermissionGrants`, checked against the reference before it is sent. A permission held nowhere
asked is left out of `projectPermissions`. The wording of the 400 for an unknown account is ours (the
reference gives the status, not the text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox._utils import JiraProblem, answers_like_jira, json_body
from sandbox.permissions import APP, KNOWN_GLOBAL, KNOWN_PROJECT, MAX_IDS, Grants
from sandbox.rest import JiraRest
from sandbox.validation import check_body, response_problems


class JiraPermissionsCheck(JiraRest):
    def routes(self) -> list[Route]:
        return [Route("/rest/api/3/permissions/check", self.check, methods=["POST"])]

    @answers_like_jira
    async def check(self, request: Request) -> Response:
        self.authenticate(request)
        body = await json_body(request)
        check_body("getBulkPermissions", body)
        account = body.get("accountId")
        # Without `accountId` Jira answers for the caller: the app's user, or the person a Forge user token is for.
        caller = getattr(request.state, "jira_account", APP)
        grants = self.state.permissions.of(caller if account is None else account)
        if grants is None:
            raise JiraProblem(400, f"The account ID '{str(account)[:128]}' does not identify a user.")
        globals_asked = [p for p in body.get("globalPermissions") or [] if p is not None]
        unknown = {p: "Unrecognized permission" for p in globals_asked if p not in KNOWN_GLOBAL}
        wanted: dict[str, tuple[set[int], set[int]]] = {}  # permission → (project ids, issue ids)
        for entry in body.get("projectPermissions") or []:
            names = [p for p in entry.get("permissions") or [] if p]
            if not names:
                raise JiraProblem(400, "At least one project permission must be provided.")
            unknown.update({p: "Unrecognized permission" for p in names if p not in KNOWN_PROJECT})
            for name in names:
                projects, issues = wanted.setdefault(name, (set(), set()))
                projects.update(p for p in entry.get("projects") or [] if p is not None)
                issues.update(i for i in entry.get("issues") or [] if i is not None)
        if unknown:
            raise JiraProblem(400, errors=unknown)
        answer = {
            "globalPermissions": sorted(set(globals_asked) & grants.global_permissions),
            "projectPermissions": self._project_grants(grants, wanted),
        }
        problems = response_problems("getBulkPermissions", answer)
        if problems:  # the stand-in's own fault: say so rather than answer unlike Jira
            raise JiraProblem(500, *problems)
        return JSONResponse(answer)

    def _project_grants(
        self, grants: Grants, wanted: Mapping[str, tuple[Iterable[int], Iterable[int]]]
    ) -> list[dict[str, Any]]:
        store = self.state.store
        keys_by_id = {int(p["id"]): str(p["key"]) for p in store.projects()}
        answer = []
        for name, (project_ids, issue_ids) in sorted(wanted.items()):
            projects, issues = sorted(set(project_ids)), sorted(set(issue_ids))
            if len(projects) > MAX_IDS or len(issues) > MAX_IDS:
                raise JiraProblem(400, f"At most {MAX_IDS} projects and {MAX_IDS} issues can be checked.")
            held_projects = [
                p for p in projects if p in keys_by_id and name in grants.in_project(keys_by_id[p])
            ]
            held_issues = []
            for issue_id in issues:
                issue = store.issue(str(issue_id))
                if issue is not None and name in grants.in_project(issue.project_key):
                    held_issues.append(issue_id)
            if held_projects or held_issues:
                answer.append({"permission": name, "projects": held_projects, "issues": held_issues})
        return answer
