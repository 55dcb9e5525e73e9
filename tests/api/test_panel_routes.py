"""The routes the panel's screens add: a draft's preview as Jira will show it, cancelling a run, the export's
status and resuming it, and the pages themselves (templates, static files)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.testclient import TestClient

from app import pipeline
from app.config import Config
from app.main import STATIC_DIR, create_app
from sandbox import MOUNT
from tests.connect.fixtures import APP_KEY, BASE_URL, KeyServer, Panel, install, page_context
from tests.connect.jira_peer import JiraSite
from ticketgen.adf import validate_adf


def _drafted(panel: Panel, files: list[tuple[str, bytes]]) -> str:
    upload = [("files", (name, content, "text/csv")) for name, content in files]
    batch_id = panel.request("POST", "batches", files=upload).json()["batch"]["id"]
    assert panel.request("POST", f"batches/{batch_id}/drafting").status_code == 202
    panel.client.portal.call(pipeline.wait_idle)
    assert panel.request("GET", f"batches/{batch_id}").json()["batch"]["status"] == "drafted"
    return batch_id


def _node_types(node: object) -> set[str]:
    if isinstance(node, dict):
        return {str(node.get("type")), *(t for child in node.get("content", []) for t in _node_types(child))}
    return set()


def test_preview_is_the_description_jira_receives(
    client: TestClient, site: JiraSite, uwec_files: list[tuple[str, bytes]]
) -> None:
    panel = Panel(client, site, "UWEC")
    batch_id = _drafted(panel, uwec_files)
    key = "bundle:node.academic_program"
    panel.request("PATCH", f"batches/{batch_id}/drafts/{key}", json={"user_story": "Edited story."})
    response = panel.request("GET", f"batches/{batch_id}/drafts/{key}/preview")
    assert response.status_code == 200, response.text
    body = response.json()
    assert validate_adf(body["adf"]) == []
    assert {"table", "tableHeader", "taskList"} <= _node_types(body["adf"])
    assert "Edited story." in response.text and body["attachment"] is None
    # what the draft blocks is the issue's Blocks links in Jira, not internal keys in the text
    assert key not in response.text and "fields:node.academic_program" not in response.text
    assert "UWEC_Bundles.csv row 2" in response.text, "the source is named"
    missing = panel.request("GET", f"batches/{batch_id}/drafts/bundle:node.nope/preview")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "draft_not_found"


def test_cancel_export_status_and_resume(
    client: TestClient, site: JiraSite, uwec_files: list[tuple[str, bytes]]
) -> None:
    panel = Panel(client, site, "UWEC")
    batch_id = _drafted(panel, uwec_files)
    status = panel.request("GET", f"batches/{batch_id}").json()
    finished = status["draft_run"]["id"]
    late = panel.request("POST", f"batches/{batch_id}/runs/{finished}/cancel")
    assert late.status_code == 409 and late.json()["error"]["code"] == "run_finished"
    unknown = panel.request("POST", f"batches/{batch_id}/runs/no-such-run/cancel")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "run_not_found"

    store = client.app.state.store  # type: ignore[attr-defined]
    tenant = client.portal.call(store.get_tenant_by_client_key, site.client_key)
    queued = client.portal.call(lambda: store.create_run(tenant.id, batch_id, "export"))
    cancelled = panel.request("POST", f"batches/{batch_id}/runs/{queued.id}/cancel")
    assert cancelled.status_code == 202, cancelled.text
    assert cancelled.json()["run"]["cancel_requested"] is True

    export = panel.request("GET", f"batches/{batch_id}/export").json()
    assert export["counts"]["pending"] == status["counts"]["included"] == len(export["issues"])
    assert all(i["issue_key"] is None and i["url"] is None for i in export["issues"])
    assert export["run"]["id"] == queued.id

    client.portal.call(
        lambda: store.mark_created(tenant.id, batch_id, {"bundle:node.academic_program": ("UWEC-1", "10001")})
    )
    created = panel.request("GET", f"batches/{batch_id}/export").json()
    issue = next(i for i in created["issues"] if i["issue_key"])
    assert issue["url"] == f"{site.base_url.rstrip('/')}/browse/UWEC-1" and issue["state"] == "created"

    resume = panel.request("POST", f"batches/{batch_id}/export")
    assert resume.status_code == 409 and resume.json()["error"]["code"] == "not_resumable"


def test_pages_render_templates_and_serve_their_assets(client: TestClient, site: JiraSite) -> None:
    panel = Panel(client, site, "UWEC")
    assert panel.context["jiraBaseUrl"] == site.base_url.rstrip("/")
    assert panel.context["approvalRequired"] is True
    url = "/panel/projects/UWEC?projectId=10000&xdm_e=https%3A%2F%2Fx&lic=none"
    panel_html = client.get(f"{url}&jwt={site.token('GET', url)}").text
    configure = client.get(f"/configure?jwt={site.token('GET', '/configure')}")
    configure_html = configure.text
    assert 'id="upload-card"' in panel_html and 'id="settings-form"' in configure_html
    for anchor in ('id="review-card"', 'id="download-review"', 'id="needs-decision-only"'):
        assert anchor in panel_html, anchor
    assert page_context(configure)["apiBase"] == "/api/settings"
    referenced = set(re.findall(r'(?:src|href)="/static/([\w.-]+)"', panel_html + configure_html))
    assert referenced == {p.name for p in STATIC_DIR.iterdir()} | {"icon.svg"}
    for name in referenced:
        assert client.get(f"/static/{name}").status_code == 200, name
    assert client.get("/static/../config.py").status_code == 404
    # nothing is loaded from outside but Atlassian's all.js (the context's Jira URL is a link target)
    code = re.sub(r'<script id="ticketgen-context".*?</script>', "", panel_html + configure_html, flags=re.S)
    assert set(re.findall(r"https://[\w.-]+", code)) == {"https://connect-cdn.atl-paas.net"}


def test_every_page_carries_a_content_security_policy_that_jira_can_frame(
    client: TestClient, site: JiraSite
) -> None:
    """Issue 13 (11): no policy limited what a page could run or who could frame it."""
    url = "/panel/projects/UWEC?projectId=10000&xdm_e=https%3A%2F%2Fx&lic=none"
    pages = [
        client.get(f"{url}&jwt={site.token('GET', url)}"),
        client.get(f"/configure?jwt={site.token('GET', '/configure')}"),
    ]
    for page in pages:
        policy = dict(
            part.partition(" ")[::2] for part in page.headers["Content-Security-Policy"].split("; ")
        )
        assert policy["script-src"] == "'self' https://connect-cdn.atl-paas.net"  # nothing inline runs
        assert re.findall(r"<script(?![^>]*(?:src=|type=\"application/json\"))", page.text) == []
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
        ancestors = policy["frame-ancestors"].split()
        assert "https://*.atlassian.net" in ancestors and site.base_url.rstrip("/") in ancestors


@pytest.mark.parametrize("query", ["projectId=10000&xdm_e=https%3A%2F%2Fx&lic=none", "projectId=10000"])
def test_pages_load_atlassians_all_js_whatever_the_host_parameter_says(
    client: TestClient, site: JiraSite, query: str
) -> None:
    """Issue 12 (7): all.js loaded only when `xdm_e` named a known Jira host, so a site on another domain (or
    a frame without the parameter) had no AP: no context token, no resizing."""
    url = f"/panel/projects/UWEC?{query}"
    for page in (
        client.get(f"{url}&jwt={site.token('GET', url)}"),
        client.get(f"/configure?jwt={site.token('GET', '/configure')}"),
    ):
        scripts = re.findall(r"<script src=\"([^\"]+)\"([^>]*)>", page.text)
        assert ("https://connect-cdn.atl-paas.net/all.js", ' data-options="sizeToParent:true"') in scripts
        assert not any("/sandbox/" in src for src, _ in scripts)


def test_sandbox_pages_load_the_stand_in_all_js_instead(
    tmp_path: Path, key_server: KeyServer, signing_key: rsa.RSAPrivateKey
) -> None:
    config = Config(
        base_url=BASE_URL, data_dir=tmp_path, secret_key=Fernet.generate_key().decode(),
        install_keys_url=key_server.url, app_key=APP_KEY, sandbox=True,
    )  # fmt: skip
    with TestClient(create_app(config), raise_server_exceptions=False) as client:
        site = JiraSite()
        assert install(client, site, signing_key) == 204
        url = "/configure"
        page = client.get(f"{url}?jwt={site.token('GET', url)}")
        assert page.status_code == 200, page.text
        scripts = re.findall(r"<script src=\"([^\"]+)\"", page.text)
        assert f"{MOUNT}/all.js" in scripts and "https://connect-cdn.atl-paas.net/all.js" not in scripts
