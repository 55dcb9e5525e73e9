"""The app descriptor (`atlassian-connect.json` at the repository root), served with our own baseUrl and key.

Route paths named in the descriptor are the single source for the routes `app.main` registers, so the
descriptor and the app cannot drift apart.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

DESCRIPTOR_FILE = Path(__file__).resolve().parents[2] / "atlassian-connect.json"
ISSUE_PROPERTY_KEY = "ticketgen"  # issue property set at creation: {"batchId": ..., "draftKey": ...}


@lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    return json.loads(DESCRIPTOR_FILE.read_text(encoding="utf-8"))


def descriptor(*, base_url: str, app_key: str) -> dict[str, Any]:
    doc = copy.deepcopy(_template())
    doc["baseUrl"] = base_url.rstrip("/")
    doc["key"] = app_key
    return doc


def lifecycle_path(event: str) -> str:
    return str(_template()["lifecycle"][event])


def panel_path_template() -> str:
    """The project page URL as Jira calls it, as a Starlette path (`/panel/projects/{project_key}`)."""
    url = str(_template()["modules"]["jiraProjectPages"][0]["url"]).split("?", 1)[0]
    return url.replace("{project.key}", "{project_key}")


def configure_path() -> str:
    return str(_template()["modules"]["configurePage"]["url"]).split("?", 1)[0]


async def descriptor_endpoint(request: Request) -> JSONResponse:
    config = request.app.state.config
    return JSONResponse(
        descriptor(base_url=config.base_url, app_key=config.app_key),
        headers={"Cache-Control": "no-cache"},
    )


_ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">'
    '<rect x="3" y="3" width="18" height="18" rx="3" fill="#0052CC"/>'
    '<path d="M7 8h10M7 12h10M7 16h6" stroke="#fff" stroke-width="2" stroke-linecap="round"/></svg>'
)


def icon_path() -> str:
    return str(_template()["modules"]["jiraProjectPages"][0]["iconUrl"])


async def icon_endpoint(request: Request) -> Response:
    return Response(_ICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})
