"""Sandbox-only control endpoints (no auth: they exist only when the sandbox is mounted, for local use).

- `GET/POST/DELETE /sandbox/admin/faults` (`DELETE /sandbox/admin/faults/{id}` for one rule)
- `GET /sandbox/admin/stats`: requests per endpoint and status, faults applied, stored counts, duplicates, and
  the issues' plan (`planned`): issues and story points per assignee, issues per sprint and per parent
- `GET/PUT /sandbox/admin/settings`: `links_at_creation`, `index_delay_s`, `index_lag_s`, `omit_is_last`,
  `shuffle_bulk_results`, `labels_on_screen`, `required_field`, `app_can_create`, `blocks_link_name`,
  `assignee_on_screen`, `boards`, `estimation`, `forge_system_token_ttl_s`
  (see `settings.py`)
- `GET /sandbox/admin/permissions`: who may do what (`permissions.py`); `PUT /sandbox/admin/permissions/{account}`
  with `{"global": [...], "projects": {"KEY" or "*": [...]}}` sets one account's (`app` is the app's own user),
  `DELETE` forgets it (Jira then answers 400 for that account id)
- `POST /sandbox/admin/reset`: forget issues, links, properties, attachments, counters and faults; permissions
  back to their defaults
- `POST /sandbox/admin/install`: (re)send the signed `installed` callback, then `enabled` (Forge: the
  `installed` lifecycle event)
- Forge only: `POST /sandbox/admin/forge/scheduled` runs the scheduled trigger now (a fresh system token);
  `POST /sandbox/admin/forge/uninstall` sends the `uninstalled` lifecycle event
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sandbox.catalog import SPRINT_FIELD_KEY, STORY_POINTS_FIELD_KEY
from sandbox.connect_host import Host, InstallError
from sandbox.faults import FaultRule
from sandbox.forge_host import ForgeHost
from sandbox.permissions import Grants
from sandbox.state import SandboxState


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise ValueError(f"the body is not JSON: {exc}") from exc


def _planned(issues: list[Any]) -> dict[str, dict[str, Any]]:
    """What a board would show of the stored issues: who has how many issues and points, in which sprint,
    under which parent ("" for none)."""
    people: dict[str, dict[str, int]] = {}
    sprints: Counter[str] = Counter()
    parents: Counter[str] = Counter()
    for issue in issues:
        fields = issue.fields
        account = (fields.get("assignee") or {}).get("accountId", "")
        row = people.setdefault(account, {"issues": 0, "points": 0})
        row["issues"] += 1
        row["points"] += int(fields.get(STORY_POINTS_FIELD_KEY) or 0)
        for sprint in fields.get(SPRINT_FIELD_KEY) or [{"id": ""}]:
            sprints[str(sprint["id"])] += 1
        parents[(fields.get("parent") or {}).get("key", "")] += 1
    return {"by_assignee": people, "by_sprint": dict(sprints), "by_parent": dict(parents)}


class Admin:
    def __init__(self, state: SandboxState, host: Host | ForgeHost) -> None:
        self.state = state
        self.host = host

    def routes(self) -> list[Route]:
        return [
            Route("/admin/faults", self.faults, methods=["GET", "POST", "DELETE"]),
            Route("/admin/faults/{id:int}", self.delete_fault, methods=["DELETE"]),
            Route("/admin/stats", self.stats, methods=["GET"]),
            Route("/admin/settings", self.settings, methods=["GET", "PUT"]),
            Route("/admin/permissions", self.permissions, methods=["GET"]),
            Route("/admin/permissions/{account}", self.account_permissions, methods=["PUT", "DELETE"]),
            Route("/admin/reset", self.reset, methods=["POST"]),
            Route("/admin/install", self.install, methods=["POST"]),
            *(
                [
                    Route("/admin/forge/scheduled", self.forge_scheduled, methods=["POST"]),
                    Route("/admin/forge/uninstall", self.forge_uninstall, methods=["POST"]),
                ]
                if isinstance(self.host, ForgeHost)
                else []
            ),
        ]

    async def faults(self, request: Request) -> Response:
        faults = self.state.faults
        if request.method == "DELETE":
            return JSONResponse({"removed": faults.remove()})
        if request.method == "POST":
            try:
                body = await _json(request)
                items = body.get("faults", [body]) if isinstance(body, dict) else body
                parsed = [FaultRule.from_json(item) for item in items]
            except (ValueError, TypeError, AttributeError) as exc:
                return _bad(f"invalid fault: {exc}")
            rules = [faults.add(rule) for rule in parsed]
            return JSONResponse({"faults": [r.to_json() for r in rules]}, status_code=201)
        return JSONResponse({"faults": [r.to_json() for r in faults.rules()]})

    async def delete_fault(self, request: Request) -> Response:
        removed = self.state.faults.remove(request.path_params["id"])
        return JSONResponse({"removed": removed}, status_code=200 if removed else 404)

    async def stats(self, request: Request) -> Response:
        store = self.state.store
        snapshot = self.state.stats.snapshot()
        properties = store.all_properties()
        by_property = Counter(
            (key, json.dumps(value, sort_keys=True))
            for props in properties.values()
            for key, value in props.items()
        )
        by_summary = Counter((i.project_key, i.fields.get("summary")) for i in store.issues())
        snapshot["stored"] = store.counts()
        snapshot["duplicates"] = {
            "by_property": sum(n - 1 for n in by_property.values() if n > 1),
            "by_summary": sum(n - 1 for n in by_summary.values() if n > 1),
        }
        snapshot["planned"] = _planned(store.issues())
        return JSONResponse(snapshot)

    async def settings(self, request: Request) -> Response:
        if request.method == "PUT":
            try:
                body = await _json(request)
                if not isinstance(body, dict):
                    raise ValueError("the body must be a JSON object")
                self.state.update_settings(body)
            except ValueError as exc:
                return _bad(str(exc))
        return JSONResponse(asdict(self.state.settings))

    async def permissions(self, request: Request) -> Response:
        return JSONResponse(self.state.permissions.to_json())

    async def account_permissions(self, request: Request) -> Response:
        account = request.path_params["account"]
        if request.method == "DELETE":
            removed = self.state.permissions.forget(account)
            return JSONResponse({"removed": removed}, status_code=200 if removed else 404)
        try:
            grants = Grants.from_json(await _json(request))
        except ValueError as exc:
            return _bad(f"invalid permissions: {exc}")
        self.state.permissions.set(account, grants)
        return JSONResponse(self.state.permissions.to_json())

    async def reset(self, request: Request) -> Response:
        self.state.permissions.reset()
        self.state.store.reset_content()
        self.state.stats.reset()
        self.state.faults.remove()
        return JSONResponse({"reset": True})

    async def install(self, request: Request) -> Response:
        try:
            installation = await self.host.install()
        except InstallError as exc:
            return JSONResponse({"error": str(exc)}, status_code=502)
        return JSONResponse(
            {"installed": True, "clientKey": installation.client_key, "baseUrl": self.state.base_url}
        )

    async def forge_scheduled(self, request: Request) -> Response:
        assert isinstance(self.host, ForgeHost)
        try:
            response = await self.host.scheduled()
        except InstallError as exc:
            return JSONResponse({"error": str(exc)}, status_code=502)
        return JSONResponse({"status": response.status_code, "answer": response.json()})

    async def forge_uninstall(self, request: Request) -> Response:
        assert isinstance(self.host, ForgeHost)
        try:
            await self.host.uninstall()
        except InstallError as exc:
            return JSONResponse({"error": str(exc)}, status_code=502)
        return JSONResponse({"installed": False})
