"""What a person (or the panel's code) sees of the sandbox site: the project page with the app's panel,
the list of created issues, `all.js`, and the install-keys service."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from sandbox import jql
from sandbox._utils import JiraProblem
from sandbox.catalog import link_types
from sandbox.connect_host import Host
from sandbox.forge_host import ForgeHost
from sandbox.render import adf_to_html
from sandbox.search import indexed_properties
from sandbox.state import SandboxState


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: resources.files("sandbox").joinpath(name).read_text(encoding="utf-8")
        ),
        autoescape=True,
    )


@lru_cache(maxsize=1)
def _all_js() -> str:
    return resources.files("sandbox").joinpath("all.js").read_text(encoding="utf-8")


class SitePages:
    def __init__(self, state: SandboxState, host: Host | ForgeHost) -> None:
        self.state = state
        self.host = host

    def routes(self) -> list[Route]:
        return [
            Route("/", self.index, methods=["GET"]),
            Route("/projects/{key}", self.project_page, methods=["GET"]),
            Route(
                "/jira/{type}/projects/{key}/apps/{app}/{environment}",
                self.forge_project_page,
                methods=["GET"],
            ),
            Route("/projects/{key}/issues", self.issues_page, methods=["GET"]),
            Route("/projects/{key}/app-settings", self.app_settings, methods=["GET"]),
            Route("/browse/{key}", self.browse, methods=["GET"]),
            Route("/issues/", self.navigator, methods=["GET"]),
            Route("/all.js", self.all_js, methods=["GET"]),
            Route("/atlassian-connect/all.js", self.all_js, methods=["GET"]),
            Route("/context-token", self.context_token, methods=["GET"]),
            Route("/install-keys/{kid}", self.install_key, methods=["GET"]),
            Route("/attachments/{id:int}", self.attachment, methods=["GET"]),
        ]

    def _render(self, project: Any, active: str, **extra: Any) -> HTMLResponse:
        settings = self.state.settings
        html = (
            _templates()
            .get_template("project.html")
            .render(
                project=project,
                active=active,
                base=self.state.base_url,
                site=self.state.base_url,
                page_title={"panel": "Ticket Generator", "settings": "Ticket Generator settings"}.get(
                    active, "Issues"
                ),
                viewer_is_admin=self._viewer_is_admin(),
                frame_sandbox=self.host.frame_sandbox,
                account_id=settings.user_account_id,
                user_name=settings.user_name,
                **extra,
            )
        )
        return HTMLResponse(html)

    async def index(self, request: Request) -> Response:
        projects = self.state.store.projects()
        if not projects:
            return PlainTextResponse("This sandbox site has no projects.", status_code=404)
        return RedirectResponse(f"{self.state.base_url}/projects/{projects[0]['key']}", status_code=302)

    async def project_page(self, request: Request) -> Response:
        project = self.state.store.project(request.path_params["key"])
        if project is None:
            return PlainTextResponse(f"No project with key {request.path_params['key']}.", status_code=404)
        viewer = request.query_params.get("as")  # `?as=ACCOUNT` views the page as another user
        account_id = "" if viewer == "anonymous" else viewer  # Jira signs an empty `sub` for a visitor
        return self._render(
            project, "panel", panel_url=self.host.panel_url(project["key"], account_id=account_id)
        )

    async def forge_project_page(self, request: Request) -> Response:
        """A Forge app's project page, at the address Jira gives it (`/jira/{type}/projects/KEY/apps/{app uuid}/
        {environment}`): the same page as `/projects/KEY` when every part names this site's app and project."""
        params = request.path_params
        project = self.state.store.project(params["key"])
        expected = self.host.forge_page_parts()
        if project is None or expected is None or (params["app"], params["environment"]) != expected:
            return PlainTextResponse("This page does not exist in Jira.", status_code=404)
        if params["type"] != "software":  # every sandbox project is a Jira Software project
            return PlainTextResponse(
                f"{params['key']} is a software project, not {params['type']}.", status_code=404
            )
        return await self.project_page(request)

    async def issues_page(self, request: Request) -> Response:
        store = self.state.store
        project = store.project(request.path_params["key"])
        if project is None:
            return PlainTextResponse(f"No project with key {request.path_params['key']}.", status_code=404)
        return self._render(project, "issues", issues=self._rows(store.issues(project["key"])))

    async def app_settings(self, request: Request) -> Response:
        """Where a Jira admin finds the app's settings ("Manage apps → Configure"); others get Jira's 403."""
        project = self.state.store.project(request.path_params["key"])
        if project is None:
            return PlainTextResponse(f"No project with key {request.path_params['key']}.", status_code=404)
        if not self._viewer_is_admin():
            return PlainTextResponse("Only Jira administrators can manage apps.", status_code=403)
        return self._render(project, "settings", panel_url=self.host.configure_url())

    def _viewer_is_admin(self) -> bool:
        grants = self.state.permissions.of(self.state.settings.user_account_id)
        return grants is not None and "ADMINISTER" in grants.global_permissions

    async def browse(self, request: Request) -> Response:
        """Jira's issue page, where the panel's and Slack's issue links point."""
        key = request.path_params["key"]
        issue = self.state.store.issue(key)
        if issue is None:
            return PlainTextResponse(f"Issue {key} does not exist.", status_code=404)
        project = self.state.store.project(issue.key.rsplit("-", 1)[0])
        return self._render(project, "issues", issues=self._rows([issue]), heading=issue.key)

    async def navigator(self, request: Request) -> Response:
        """Jira's issue navigator (`/issues/?jql=…`), where "Open them in Jira" points: every issue the
        JQL matches, as the search API reads it (without the index's lag: a person looks later)."""
        text = request.query_params.get("jql", "")
        installation = self.host.installation()
        indexed, aliases = indexed_properties(installation) if installation else (set(), {})
        try:
            query = jql.parse(text, indexed=indexed, aliases=aliases)
        except JiraProblem as exc:
            return PlainTextResponse(f"The JQL is not valid: {exc}", status_code=400)
        store = self.state.store
        properties = store.all_properties()
        found = [i for i in store.issues() if query.matches((i, properties.get(i.id, {})))]
        found.sort(key=jql.sort_key(query.order_by), reverse=query.descending)
        project = store.project(found[0].key.rsplit("-", 1)[0]) if found else store.projects()[0]
        return self._render(project, "issues", issues=self._rows(found), heading="Search", jql=text)

    def _rows(self, issues: list[Any]) -> list[dict[str, Any]]:
        store = self.state.store
        keys = {issue.id: issue.key for issue in store.issues()}
        by_id = {t.id: t for t in link_types(self.state.settings)}
        rows = []
        for issue in issues:
            links = []
            for link in store.links_of(issue.id):
                t = by_id[link.type_id]
                if link.inward_id == issue.id:
                    links.append({"text": t.outward, "key": keys.get(link.outward_id, "?")})
                if link.outward_id == issue.id:
                    links.append({"text": t.inward, "key": keys.get(link.inward_id, "?")})
            rows.append(
                {
                    "key": issue.key,
                    "type": issue.fields["issuetype"]["name"],
                    "summary": issue.fields["summary"],
                    "description_html": adf_to_html(issue.fields.get("description")),
                    "labels": issue.fields.get("labels") or [],
                    "links": links,
                    "attachments": store.attachments_of(issue.id),
                    "properties": {k: json.dumps(v) for k, v in store.properties(issue.id).items()},
                }
            )
        return rows

    async def all_js(self, request: Request) -> Response:
        return Response(_all_js(), media_type="application/javascript", headers={"Cache-Control": "no-cache"})

    async def context_token(self, request: Request) -> Response:
        token = self.host.context_token(request.query_params.get("project"))
        if token is None:
            return JSONResponse({"error": "the add-on is not installed"}, status_code=409)
        return JSONResponse({"token": token}, headers={"Cache-Control": "no-store"})

    async def install_key(self, request: Request) -> Response:
        if request.path_params["kid"] != self.state.key.kid:
            return PlainTextResponse("Not found", status_code=404)
        return Response(self.state.key.public_pem, media_type="application/x-pem-file")

    async def attachment(self, request: Request) -> Response:
        found = self.state.store.attachment_content(request.path_params["id"])
        if found is None:
            return PlainTextResponse("Not found", status_code=404)
        meta, content = found
        safe_name = meta.filename.replace('"', "")
        return Response(
            content,
            media_type=meta.mime_type,
            headers={
                "Content-Disposition": f'inline; filename="{safe_name}"',
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "sandbox",
            },
        )
