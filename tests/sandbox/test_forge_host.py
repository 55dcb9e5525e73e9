"""`ticketgen sandbox --host forge`: the sandbox plays Forge for the add-on running as a Forge remote. It
installs the app with the lifecycle event, answers the Custom UI bridge by invoking the remote with a FIT it
signs (the add-on trusts its key set in this mode only), sends the scheduled trigger, and uninstalls on
request; the add-on refuses the pages' calls once uninstalled."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sandbox.forge_host import SANDBOX_APP_ID

from .helpers import SandboxCommand, sandbox_command

PAGE_CONTEXT = "/api/projects/UWEC/page-context"


@pytest.fixture(scope="module")
def forge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxCommand]:
    with sandbox_command(tmp_path_factory.mktemp("forge") / "data", host="forge") as started:
        yield started


def bridge(sandbox: SandboxCommand, name: str, payload: Any, *, page: str = "project/UWEC") -> Any:
    """What the page's `callBridge` sends (the sandbox's script in the Custom UI iframe)."""
    response = requests.post(
        f"{sandbox.base_url}/sandbox/forge/ui/{page}/bridge",
        json={"name": name, "payload": payload},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def invoke(sandbox: SandboxCommand, method: str, path: str, *, page: str = "project/UWEC") -> dict[str, Any]:
    answer = bridge(
        sandbox, "invoke", {"method": method, "path": path, "headers": {}, "invokeType": "ui-remote-fetch"},
        page=page,
    )  # fmt: skip
    assert answer["success"] is True
    return answer["payload"]


def admin(sandbox: SandboxCommand, path: str) -> Any:
    response = requests.post(f"{sandbox.base_url}/sandbox/admin/{path}", timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_command_says_it_runs_the_forge_remote(forge: SandboxCommand) -> None:
    assert any(f"Forge remote {forge.base_url} (app {SANDBOX_APP_ID})" in line for line in forge.output)


def test_the_page_context_names_the_project_and_the_person(forge: SandboxCommand) -> None:
    context = bridge(forge, "getContext", None)
    assert context["extension"]["type"] == "jira:projectPage"
    assert context["extension"]["project"]["key"] == "UWEC"
    assert context["siteUrl"] == f"{forge.base_url}/sandbox"
    assert context["accountId"]


def test_invoke_remote_reaches_the_installed_backend(forge: SandboxCommand) -> None:
    answer = invoke(forge, "GET", PAGE_CONTEXT)
    assert answer["status"] == 200, answer
    assert "approvalRequired" in answer["body"]


def test_the_admin_page_reaches_the_settings(forge: SandboxCommand) -> None:
    assert invoke(forge, "GET", "/api/settings", page="admin/-")["status"] == 200
    # the project page's token is not the admin page's
    assert invoke(forge, "GET", "/api/settings")["status"] == 401


def test_request_remote_uploads_a_form_as_multipart(forge: SandboxCommand) -> None:
    data = b"Bundle,Machine name\nArticle,article\n"
    form = {
        "files": "data:text/csv;base64," + base64.b64encode(data).decode(),
        "__filesName": "bundles.csv",
        "__filesType": "text/csv",
        "name": "Through the bridge",
    }
    answer = bridge(forge, "fetchRemote", {
        "remoteKey": "backend", "isMultipartFormData": True,
        "fetchRequestInit": {"method": "POST", "path": "/api/projects/UWEC/batches", "body": json.dumps(form),
                             "headers": [["accept", "application/json"]]},
    })  # fmt: skip
    assert answer["status"] == 201, answer
    created = json.loads(answer["body"])
    assert created["batch"]["name"] == "Through the bridge"
    assert created["batch"]["project_type"] == "software", "from the page's context, for the page's address"
    assert [f["name"] for f in created["files"]] == ["bundles.csv"]


def test_the_project_page_answers_at_its_forge_address(forge: SandboxCommand) -> None:
    """Where Slack's "Open in Jira" points for a Forge app: `/jira/{type}/projects/KEY/apps/{app}/{env}`."""
    app_uuid, environment = (
        SANDBOX_APP_ID.rsplit("/", 1)[1],
        bridge(forge, "getContext", None)["environmentId"],
    )
    site = f"{forge.base_url}/sandbox/jira"
    page = requests.get(f"{site}/software/projects/UWEC/apps/{app_uuid}/{environment}", timeout=30)
    assert page.status_code == 200 and 'id="addon-panel"' in page.text
    for wrong in (
        f"software/projects/UWEC/apps/{app_uuid}/{uuid.uuid4()}",  # another environment
        f"software/projects/UWEC/apps/{uuid.uuid4()}/{environment}",  # another app
        f"core/projects/UWEC/apps/{app_uuid}/{environment}",  # UWEC is a software project
        f"software/projects/NOPE/apps/{app_uuid}/{environment}",
    ):
        assert requests.get(f"{site}/{wrong}", timeout=30).status_code == 404, wrong


def test_request_remote_refuses_a_remote_the_manifest_does_not_declare(forge: SandboxCommand) -> None:
    response = requests.post(
        f"{forge.base_url}/sandbox/forge/ui/project/UWEC/bridge", timeout=30, json={"name": "fetchRemote", "payload": {
            "remoteKey": "elsewhere", "fetchRequestInit": {"method": "GET", "path": "/api/settings"}}},
    )  # fmt: skip
    assert response.status_code == 502
    assert "elsewhere" in response.json()["error"]


def test_the_scheduled_trigger_brings_a_system_token(forge: SandboxCommand) -> None:
    answer = admin(forge, "forge/scheduled")
    assert answer == {"status": 200, "answer": {"system_token": "refreshed"}}


def test_uninstalled_then_installed_again(tmp_path: Path) -> None:
    with sandbox_command(tmp_path / "data", host="forge") as sandbox:
        assert admin(sandbox, "forge/uninstall") == {"installed": False}
        assert requests.get(sandbox.project_url, timeout=10).text.count("not installed") == 1
        admin(sandbox, "install")
        assert invoke(sandbox, "GET", PAGE_CONTEXT)["status"] == 200


@pytest.mark.parametrize("path", ["https://elsewhere.example/api/settings", "//elsewhere.example/x", "api/x"])
def test_a_remote_call_goes_to_a_path_of_the_remote_only(forge: SandboxCommand, path: str) -> None:
    response = requests.post(
        f"{forge.base_url}/sandbox/forge/ui/project/UWEC/bridge", timeout=30,
        json={"name": "invoke", "payload": {"method": "GET", "path": path}},
    )  # fmt: skip
    assert response.status_code == 400
    assert "path" in response.json()["error"]
