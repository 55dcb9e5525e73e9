"""The Forge host's HTTP side: its key set, the Custom UI resources and the bridge the pages call (the
admin endpoints that drive its triggers are in `admin.py`).

The bundle's `forge.js` is the real `@forge/bridge` (7.2.0, bundled by `make forge-bundle`). In Jira, the host
gives a Custom UI iframe `globalThis.__bridge.callBridge(name, payload)`, and the bridge's `invokeRemote`,
`requestRemote`, `view.getContext` and `router` all go through it. The sandbox does the same: it serves the resource's
`index.html` with a small script that defines `callBridge` (posting each call to `./bridge` below the page),
and answers here as Forge does: `getContext` with the page's context, `invoke` (invokeRemote) by calling the
module's resolver endpoint on the remote with a fresh FIT plus the token headers the endpoint's `auth` asks
for, `fetchRemote` (requestRemote) by calling the named remote with a FIT only, rebuilding a FormData the
bridge serialised (each file a base64 data URL under its field name, its name in `__<field>Name`) as
multipart. The bundle itself is served unchanged, so the page side is exactly what a real site runs.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from sandbox._utils import bridge_form as _form
from sandbox._utils import forwarded_headers as _forwarded
from sandbox._utils import remote_path as _path
from sandbox.connect_host import InstallError
from sandbox.forge_host import ADMIN_PAGE, JWKS_PATH, PROJECT_PAGE, ForgeHost
from sandbox.state import SandboxState

BRIDGE_SCRIPT = """<script>
globalThis.__bridge = {callBridge: function (name, payload) {
  if (name === "navigate") {  // the router: only the host frame may open a window or move the page
    if (!payload || typeof payload.url !== "string" || ["same-tab", "new-tab"].indexOf(payload.type) < 0)
      return Promise.reject(new Error("navigate takes {url, type: same-tab | new-tab}"));
    window.parent.postMessage({forgeNavigate: {url: payload.url, type: payload.type}}, "*");
    return Promise.resolve();
  }
  return fetch("./bridge", {method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({name: name, payload: payload === undefined ? null : payload})})
    .then(function (r) { if (!r.ok) throw new Error("The Forge host refused " + name + ": HTTP " + r.status); return r.json(); });
}};
</script>"""
_FILE = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_TEXT_TYPES = ("application/json", "text/")


class ForgeBridge:
    def __init__(self, state: SandboxState, host: ForgeHost) -> None:
        self.state = state
        self.host = host

    def routes(self) -> list[Route]:
        return [
            Route(JWKS_PATH, self.jwks, methods=["GET"]),
            Route("/forge/ui/{page}/{key}/bridge", self.bridge, methods=["POST"]),
            Route("/forge/ui/{page}/{key}/{file}", self.resource, methods=["GET"]),
        ]

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(self.host.jwks())

    def _module(self, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
        """The page's module and its extension context; a page the site does not have is a 404."""
        page, key = request.path_params["page"], request.path_params["key"]
        if not self.host.installed:
            raise _NotHere("the app is not installed")
        if page == "admin":
            return self.host.manifest.page(ADMIN_PAGE), {"type": ADMIN_PAGE}
        project = self.state.store.project(key) if page == "project" else None
        if project is None:
            raise _NotHere(f"no project page {page}/{key}")
        extension = {
            "type": PROJECT_PAGE,
            "project": {"id": str(project["id"]), "key": project["key"], "type": "software"},
        }
        return self.host.manifest.page(PROJECT_PAGE), extension

    async def resource(self, request: Request) -> Response:
        try:
            module, _ = self._module(request)
        except _NotHere as exc:
            return JSONResponse({"error": str(exc)}, status_code=404)
        name = request.path_params["file"]
        directory = self.host.manifest.resource_dir(str(module["resource"]))
        path = directory / name
        if not _FILE.match(name) or not path.is_file():
            return JSONResponse({"error": f"{name} is not in the resource"}, status_code=404)
        if name == "index.html":
            html = path.read_text(encoding="utf-8")
            return HTMLResponse(html.replace("<head>", "<head>\n" + BRIDGE_SCRIPT, 1))
        return FileResponse(path)

    async def bridge(self, request: Request) -> Response:
        try:
            module, extension = self._module(request)
            call = json.loads(await request.body())
            name, payload = call["name"], call.get("payload")
            if name != "getContext" and not isinstance(payload, dict):
                raise TypeError("payload")
        except _NotHere as exc:
            return JSONResponse({"error": str(exc)}, status_code=404)
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "a bridge call is {name, payload}"}, status_code=400)
        if name == "getContext":
            return JSONResponse(self._context(module, extension))
        try:
            if name == "invoke":
                return JSONResponse(await self._invoke(module, extension, payload))
            if name == "fetchRemote":
                return JSONResponse(await self._fetch_remote(module, extension, payload))
        except ValueError as exc:  # the page's call is malformed (path, form)
            return JSONResponse({"error": f"bad {name} call: {exc}"}, status_code=400)
        except (InstallError, httpx.HTTPError) as exc:
            return JSONResponse({"error": f"the remote could not be reached: {exc}"}, status_code=502)
        return JSONResponse({"error": f"the sandbox's Forge host does not serve {name!r}"}, status_code=400)

    def _context(self, module: dict[str, Any], extension: dict[str, Any]) -> dict[str, Any]:
        return {
            "accountId": self.state.settings.user_account_id,
            "accountType": "licensed",
            "cloudId": self.host.cloud_id,
            "siteUrl": self.state.base_url,
            "moduleKey": module.get("key", ""),
            "localId": f"{module.get('key', '')}-{self.host.installation_uuid[:8]}",
            "environmentId": self.host.environment_id.rsplit("/", 1)[1],
            "environmentType": "DEVELOPMENT",
            "extension": extension,
            "locale": "en-US",
            "timezone": "UTC",
        }

    def _fit_headers(
        self, module: dict[str, Any], extension: dict[str, Any], *, endpoint: str | None
    ) -> dict[str, str]:
        account = self.state.settings.user_account_id
        fit = self.host.fit(
            module_type=extension["type"], module_key=str(module.get("key", "")), extension=extension,
            principal=account,
        )  # fmt: skip
        headers = {"authorization": f"Bearer {fit}"}
        if endpoint is not None:
            headers.update(self.host.token_headers(endpoint, account_id=account))
        return headers

    async def _invoke(
        self, module: dict[str, Any], extension: dict[str, Any], payload: Any
    ) -> dict[str, Any]:
        """invokeRemote: the module's resolver endpoint, with a FIT and the endpoint's token headers."""
        endpoint = str((module.get("resolver") or {}).get("endpoint") or "")
        self.host.manifest.endpoint(endpoint)  # the module must name a declared endpoint
        path, method = _path(payload.get("path")), str(payload.get("method") or "GET").upper()
        headers = {
            **_forwarded(payload.get("headers")),
            **self._fit_headers(module, extension, endpoint=endpoint),
        }
        body = payload.get("body")
        if body is not None:
            headers["content-type"] = "application/json"
        async with httpx.AsyncClient(timeout=120) as client:
            response = await client.request(
                method, self._remote_url(path), headers=headers,
                content=None if body is None else json.dumps(body).encode(),
            )  # fmt: skip
        try:
            answer: Any = response.json() if response.content else None
        except ValueError:
            answer = response.text
        return {
            "success": True,
            "payload": {"status": response.status_code, "headers": dict(response.headers), "body": answer},
        }

    async def _fetch_remote(
        self, module: dict[str, Any], extension: dict[str, Any], payload: Any
    ) -> dict[str, Any]:
        """requestRemote: the named remote (it must be one the app may fetch from), with a FIT only."""
        remote = str(payload.get("remoteKey") or "")
        if remote not in self._fetchable_remotes():
            raise InstallError(f"the manifest does not let the pages fetch from remote {remote!r}")
        init = payload.get("fetchRequestInit") or {}
        method, path = str(init.get("method") or "GET").upper(), _path(init.get("path"))
        headers = {
            **_forwarded(dict(init.get("headers") or [])),
            **self._fit_headers(module, extension, endpoint=None),
        }
        request: dict[str, Any] = {}
        if payload.get("isMultipartFormData"):
            request["data"], request["files"] = _form(json.loads(init.get("body") or "{}"))
        elif init.get("body") is not None:
            request["content"] = str(init["body"]).encode()
            headers["content-type"] = dict(init.get("headers") or []).get("content-type", "text/plain")
        async with httpx.AsyncClient(timeout=120) as client:
            response = await client.request(method, self._remote_url(path), headers=headers, **request)
        kind = response.headers.get("content-type", "")
        text = kind.startswith(_TEXT_TYPES)
        return {
            "status": response.status_code,
            "statusText": response.reason_phrase,
            "headers": dict(response.headers),
            "body": response.text if text else base64.b64encode(response.content).decode(),
            "isAttachment": not text,
        }

    def _fetchable_remotes(self) -> set[str]:
        fetch = (self.host.manifest.document.get("permissions", {}).get("external") or {}).get("fetch") or {}
        return {str(entry.get("remote")) for entry in fetch.get("client") or [] if isinstance(entry, dict)}

    def _remote_url(self, path: str) -> str:
        return f"{self.state.app_internal_url}{path}"


class _NotHere(Exception):
    pass
