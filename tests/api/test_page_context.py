"""The page context route tells a static (Forge) page what a Connect page gets rendered into it: the same
approval settings, the tenant's own, current."""

from __future__ import annotations

from starlette.testclient import TestClient

from app.forge.manifest import PAGE_CONTEXT_PATH
from tests.connect.fixtures import Panel
from tests.connect.jira_peer import JiraSite


def _answer(panel: Panel) -> dict[str, object]:
    response = panel.request("GET", PAGE_CONTEXT_PATH.format(project_key=panel.project_key))
    assert response.status_code == 200, response.text
    return response.json()


def test_page_context_is_what_the_connect_page_renders(client: TestClient, site: JiraSite) -> None:
    panel = Panel(client, site, "UWEC")
    rendered = {k: panel.context[k] for k in ("approvalRequired", "slackChannel")}
    assert _answer(panel) == rendered == {"approvalRequired": True, "slackChannel": ""}

    admin = Panel(client, site, admin=True)
    assert admin.request("PUT", "/api/settings", json={"approval_required": False}).status_code == 200
    assert _answer(Panel(client, site, "UWEC")) == {"approvalRequired": False, "slackChannel": ""}


def test_page_context_needs_the_projects_session(client: TestClient, site: JiraSite) -> None:
    panel = Panel(client, site, "UWEC")
    assert client.get(PAGE_CONTEXT_PATH.format(project_key="UWEC")).status_code == 401
    other = panel.request("GET", PAGE_CONTEXT_PATH.format(project_key="XYZ"))
    assert other.status_code == 401 and other.json()["error"]["code"] == "wrong_project"
