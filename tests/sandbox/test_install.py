"""The sandbox as Jira's host side, against the real add-on app in the same server: signed install,
install-keys service, the project page's signed iframe URL, context tokens, and persistence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from html import unescape
from pathlib import Path

import anyio
import jwt
import pytest
import requests

from app.config import Config
from app.connect.permissions import EXPORT_PERMISSIONS
from app.jira import JiraClient
from app.main import create_app
from app.store import Store, new_secret_key
from sandbox import Sandbox, SandboxSettings
from sandbox.permissions import Grants
from tests.connect.fixtures import page_context
from ticketgen.drafts.model import Draft

from .conftest import APP_KEY, ServerThread
from .helpers import issue


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, ServerThread]]:
    data_dir = tmp_path_factory.mktemp("addon")
    thread = ServerThread(None)
    base_url = f"http://127.0.0.1:{thread.port}"
    config = Config(
        base_url=base_url,
        data_dir=data_dir,
        secret_key=new_secret_key(),
        app_key=APP_KEY,
        install_keys_url=f"{base_url}/sandbox/install-keys",
        sandbox=True,
    )
    sandbox = Sandbox.open(config, settings=SandboxSettings())
    thread.server.config.app = create_app(config, extra_routes=sandbox.routes())
    with thread:
        anyio.run(sandbox.install)
        yield sandbox, thread
    sandbox.close()


def _iframe_src(page: str) -> str:
    match = re.search(r'<iframe id="addon-panel"[^>]* src="([^"]+)"', page)
    assert match, page
    return unescape(match.group(1))


def test_install_keys_service(installed: tuple[Sandbox, ServerThread]) -> None:
    sandbox, _ = installed
    key = requests.get(f"{sandbox.install_keys_url}/{sandbox.state.key.kid}", timeout=10)
    assert key.status_code == 200 and key.text.startswith("-----BEGIN PUBLIC KEY-----")
    assert requests.get(f"{sandbox.install_keys_url}/other-kid", timeout=10).status_code == 404


def test_installed_and_panel_frame_accepted(installed: tuple[Sandbox, ServerThread]) -> None:
    sandbox, _ = installed
    installation = sandbox.host.installation()
    assert installation is not None and installation.app_key == APP_KEY
    page = requests.get(sandbox.project_url("UWEC"), timeout=10)
    assert page.status_code == 200 and "Ticket Generator" in page.text
    src = _iframe_src(page.text)
    for param in ("xdm_e=", "cp=%2Fsandbox", "lic=none", "tz=UTC", "loc=en-US", "jwt="):
        assert param in src
    token = src.rsplit("jwt=", 1)[1]
    claims = jwt.decode(token, installation.shared_secret, algorithms=["HS256"])
    assert claims["context"]["jira"]["project"]["key"] == "UWEC" and claims["sub"]
    assert requests.get(src, timeout=10).status_code == 200  # the add-on accepts Jira's signed iframe URL
    tampered = src.replace("loc=en-US", "loc=fr-FR")
    assert requests.get(tampered, timeout=10).status_code == 401


def test_installed_is_followed_by_enabled_as_jira_does(installed: tuple[Sandbox, ServerThread]) -> None:
    sandbox, thread = installed
    config = thread.server.config.app.state.config  # type: ignore[union-attr]

    async def seen() -> tuple[str, list[str]]:
        async with Store(url=config.effective_database_url, secret_key=config.secret_key) as store:
            tenant = await store.get_tenant_by_client_key(sandbox.state.settings.client_key)
            assert tenant is not None
            return tenant.state, [e.action for e in reversed(await store.list_audit(tenant.id))]

    state, actions = anyio.run(seen)
    assert state == "enabled"
    assert actions[:2] == ["app.installed", "app.enabled"], actions


def test_context_token_and_all_js(installed: tuple[Sandbox, ServerThread]) -> None:
    sandbox, _ = installed
    installation = sandbox.host.installation()
    assert installation is not None
    body = requests.get(f"{sandbox.base_url}/context-token", params={"project": "UWEC"}, timeout=10).json()
    claims = jwt.decode(body["token"], installation.shared_secret, algorithms=["HS256"])
    assert claims["qsh"] == "context-qsh" and claims["context"]["jira"]["project"]["key"] == "UWEC"
    script = requests.get(f"{sandbox.base_url}/atlassian-connect/all.js", timeout=10)
    assert script.status_code == 200 and "getToken" in script.text
    assert script.headers["content-type"].startswith("application/javascript")


def test_reinstall_rotates_the_secret_and_app_client_follows(installed: tuple[Sandbox, ServerThread]) -> None:
    sandbox, _ = installed
    before = sandbox.host.installation()
    anyio.run(sandbox.install)
    after = sandbox.host.installation()
    assert before and after and before.shared_secret != after.shared_secret
    page = requests.get(sandbox.project_url("UWEC"), timeout=10)
    assert requests.get(_iframe_src(page.text), timeout=10).status_code == 200


def test_state_survives_a_restart(tmp_path: Path) -> None:
    config = Config(base_url="http://127.0.0.1:9", data_dir=tmp_path, app_key=APP_KEY)
    first = Sandbox.open(config, settings=SandboxSettings())
    with first.state.store.transaction() as db:
        first.state.store.insert_issue(db, "UWEC", {"summary": "kept"}, {"ticketgen": {"draftKey": "k"}})
    kid = first.state.key.kid
    first.close()
    second = Sandbox.open(replace(config), settings=SandboxSettings())
    issue = second.state.store.issue("UWEC-1")
    assert issue is not None and issue.fields == {"summary": "kept"}
    assert second.state.key.kid == kid
    with second.state.store.transaction() as db:
        assert second.state.store.insert_issue(db, "UWEC", {"summary": "next"}, {}).key == "UWEC-2"
    second.close()


def test_an_anonymous_viewer_of_the_project_page_gets_a_401(installed: tuple[Sandbox, ServerThread]) -> None:
    sandbox, _ = installed
    page = requests.get(sandbox.project_url("UWEC"), params={"as": "anonymous"}, timeout=10)
    src = _iframe_src(page.text)
    installation = sandbox.host.installation()
    assert installation is not None
    assert jwt.decode(src.rsplit("jwt=", 1)[1], installation.shared_secret, algorithms=["HS256"])["sub"] == ""
    refused = requests.get(src, timeout=10)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "anonymous"


def test_a_user_without_create_issues_cannot_submit_and_nothing_reaches_jira(
    installed: tuple[Sandbox, ServerThread],
) -> None:
    sandbox, thread = installed
    viewer = "557058:viewer-only"
    sandbox.state.permissions.set(viewer, Grants(projects={"UWEC": frozenset({"BROWSE_PROJECTS"})}))
    sandbox.state.stats.reset()
    try:
        page = requests.get(sandbox.project_url("UWEC"), params={"as": viewer}, timeout=10)
        context = page_context(requests.get(_iframe_src(page.text), timeout=10))
        assert context["accountId"] == viewer
        headers = {"Authorization": f"Bearer {context['sessionToken']}"}
        for path in ("batches/b1/submit", "batches/b1/export"):
            refused = requests.post(
                f"http://127.0.0.1:{thread.port}{context['apiBase']}/{path}", headers=headers, timeout=10
            )
            assert refused.status_code == 403, refused.text
            assert refused.json()["error"]["missing"] == list(EXPORT_PERMISSIONS)
        seen = sandbox.state.stats.snapshot()["requests"]
        assert seen["POST /rest/api/3/permissions/check"]["count"] == 1  # the second answer was cached
        assert not [name for name in seen if name.startswith("POST /rest/api/3/issue")]
    finally:
        sandbox.state.permissions.reset()


def test_issue_pages_and_the_navigator_answer_as_jira_does(installed: tuple[Sandbox, ServerThread]) -> None:
    sandbox, _ = installed
    base = sandbox.state.base_url
    missing = requests.get(f"{base}/browse/UWEC-999999", timeout=10)
    assert missing.status_code == 404 and "UWEC-999999 does not exist" in missing.text
    bad = requests.get(f"{base}/issues/", params={"jql": "project = "}, timeout=10)
    assert bad.status_code == 400 and bad.text.startswith("The JQL is not valid")
    none = requests.get(
        f"{base}/issues/", params={"jql": 'issue.property[ticketgen].batchId = "none"'}, timeout=10
    )
    assert none.status_code == 200 and '<tr id="' not in none.text and "No issues match." in none.text


def test_app_settings_are_in_the_project_nav_for_admins_only(installed: tuple[Sandbox, ServerThread]) -> None:
    """Issue 14: the local walkthrough needed a forged URL to reach the settings."""
    sandbox, _ = installed
    settings_url = sandbox.project_url("UWEC") + "/app-settings"
    assert "/projects/UWEC/app-settings" in requests.get(sandbox.project_url("UWEC"), timeout=10).text
    framed = requests.get(settings_url, timeout=10)
    assert framed.status_code == 200
    src = _iframe_src(framed.text)
    assert "/configure?" in src and requests.get(src, timeout=10).status_code == 200  # the app takes it
    person = sandbox.state.settings.user_account_id
    sandbox.state.permissions.set(person, Grants(projects={"*": frozenset({"BROWSE_PROJECTS"})}))
    try:
        assert "/app-settings" not in requests.get(sandbox.project_url("UWEC"), timeout=10).text
        refused = requests.get(settings_url, timeout=10)
        assert refused.status_code == 403 and "Only Jira administrators" in refused.text
    finally:
        sandbox.state.permissions.reset()


def test_submit_meets_the_drafts_an_earlier_batch_created_and_waits_for_a_choice(
    installed: tuple[Sandbox, ServerThread],
) -> None:
    """Issue 14, item 2, the app against the sandbox: the panel's API finds, by the issue property and
    Jira's search, the drafts another batch of this app created in the project (not this batch's own,
    not other apps' issues), and submit waits for an explicit choice."""
    sandbox, thread = installed
    config = thread.server.config.app.state.config  # type: ignore[union-attr]
    drafts = [
        Draft(key=f"bundle:node.page{i}", kind="bundle", summary=f"Page {i}", tables=[], sources=[])
        for i in range(3)
    ]

    async def drafted_batch() -> str:
        async with Store(url=config.effective_database_url, secret_key=config.secret_key) as store:
            tenant = await store.get_tenant_by_client_key(sandbox.state.settings.client_key)
            assert tenant is not None
            batch = await store.create_batch(tenant.id, project_key="UWEC", project_id="10000", name="again")
            for to, expect in (("validated", "uploaded"), ("drafting", "validated"), ("drafted", "drafting")):
                assert await store.transition(tenant.id, batch.id, to=to, expect={expect})
            await store.replace_drafts(tenant.id, batch.id, drafts)
            return batch.id

    batch_id = anyio.run(drafted_batch)
    installation = sandbox.host.installation()
    assert installation is not None
    other_app = [{"key": "someone-else", "value": {"draftKey": drafts[2].key}}]
    bodies = {
        "earlier": issue("earlier", batch="an-earlier-batch", draft=drafts[0].key),
        "own": issue("own", batch=batch_id, draft=drafts[1].key),
        "other app": issue("other app", properties=other_app),
    }
    client = JiraClient(
        base_url=sandbox.state.base_url, app_key=APP_KEY, shared_secret=installation.shared_secret
    )
    with client as jira:
        made = {name: jira.create_issue(body).key for name, body in bodies.items()}
    before = sandbox.state.settings
    sandbox.state.settings = replace(before, index_delay_s=0, index_lag_s=0)  # the search sees them at once
    try:
        page = requests.get(sandbox.project_url("UWEC"), timeout=10)
        context = page_context(requests.get(_iframe_src(page.text), timeout=10))
        api = f"http://127.0.0.1:{thread.port}{context['apiBase']}/batches/{batch_id}"
        headers = {"Authorization": f"Bearer {context['sessionToken']}"}
        found = requests.get(f"{api}/existing", headers=headers, timeout=30).json()
        assert (found["count"], found["total"]) == (1, 3)
        assert [(i["draft_key"], i["issue_key"]) for i in found["issues"]] == [
            (drafts[0].key, made["earlier"])
        ]
        refused = requests.post(f"{api}/submit", headers=headers, timeout=30)
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "existing_issues"
        assert refused.json()["error"]["message"].startswith("1 of 3 drafts already exist in UWEC")
        chosen = requests.post(f"{api}/submit", headers=headers, json={"existing": "update"}, timeout=30)
        assert chosen.status_code == 202 and chosen.json()["status"] == "awaiting_approval"
        batch = requests.get(api, headers=headers, timeout=30).json()["batch"]
        assert batch["existing_issues"] == "update"
    finally:
        sandbox.state.settings = before
