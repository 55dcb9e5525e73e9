"""The committed Custom UI bundle (static/) runs the panel and settings pages in headless Chromium under a
stand-in for Forge's Custom UI host: the real forge.js (@forge/bridge 7.2.0 as bundled) talks to the host
through `globalThis.__bridge.callBridge`, as in Jira, and the host answers the bridge calls the pages make
(`getContext`, `invoke` for invokeRemote, `fetchRemote` for requestRemote) from a table. No backend runs:
this checks the page side of the contract (which call, which path, which remote, which payload), not the
backend's answers.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from app.forge import manifest as contract
from tests.conftest import ROOT
from tests.e2e.conftest import Problems

ORIGIN = "https://ticketgen-ui.forge.test"  # where Forge would host the resource
BRIDGE = """
globalThis.__bridge = {callBridge: function (name, payload) {
  return window.forgeHost(name, JSON.stringify(payload === undefined ? null : payload)).then(JSON.parse);
}};
"""
SITE = "https://acme.atlassian.net"

pytestmark = pytest.mark.e2e


class ForgeHost:
    """Answers the bridge like Forge's host: `answers` maps (method, path) to (status, JSON body); a call
    it has no answer for fails the page (an uncaught rejection), so nothing unexpected passes quietly."""

    def __init__(self, *, context: dict[str, Any], answers: dict[tuple[str, str], tuple[int, Any]]) -> None:
        self.context = context
        self.answers = answers
        self.calls: list[tuple[str, Any]] = []

    def __call__(self, name: str, payload_json: str) -> str:
        payload = json.loads(payload_json)
        self.calls.append((name, payload))
        if name == "getContext":
            return json.dumps(self.context)
        if name == "invoke":  # invokeRemote: the answer's body is the parsed JSON
            status, body = self.answers[(payload["method"], payload["path"])]
            return json.dumps({"success": True, "payload": {"status": status, "headers": {}, "body": body}})
        if name == "fetchRemote":  # requestRemote: a fetch-like answer with a text body
            init = payload["fetchRequestInit"]
            status, body = self.answers[(init["method"], init["path"])]
            headers = {"content-type": "application/json"}
            return json.dumps(
                {"status": status, "statusText": "", "headers": headers, "body": json.dumps(body)}
            )
        raise AssertionError(f"the page made a bridge call the host does not serve: {name}")

    def invoked(self) -> list[tuple[str, str]]:
        return [(p["method"], p["path"]) for n, p in self.calls if n == "invoke"]


@pytest.fixture
def forge_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = Problems()
    page.on("console", problems.console)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.problems = problems
    try:
        yield page
    finally:
        context.close()
    assert list(problems) == [], "the browser reported errors:\n" + "\n".join(problems)


def _serve(page: Any, resource: str, host: ForgeHost) -> None:
    directory = ROOT / contract.RESOURCE_DIR / resource

    def fulfil(route: Any) -> None:
        name = route.request.url.removeprefix(ORIGIN + "/").split("?")[0] or "index.html"
        path = directory / name
        if "/" in name or not path.is_file():
            route.fulfill(status=404, body="not in the resource")
        else:
            route.fulfill(path=str(path))

    page.route(f"{ORIGIN}/**", fulfil)
    page.expose_function("forgeHost", host)
    page.add_init_script(BRIDGE)


def test_the_panel_boots_from_the_bridge_and_uploads_with_request_remote(forge_page: Any) -> None:
    project = "/api/projects/UWEC"
    host = ForgeHost(
        context={
            "accountId": "557058:tester",
            "siteUrl": SITE,
            "moduleKey": contract.PROJECT_PAGE_KEY,
            "extension": {
                "type": "jira:projectPage",
                "project": {"id": "10000", "key": "UWEC", "type": "software"},
            },
        },
        answers={
            ("GET", f"{project}/page-context"): (200, {"approvalRequired": True, "slackChannel": ""}),
            ("GET", f"{project}/batches"): (200, {"batches": []}),
            ("POST", f"{project}/batches"): (
                413,
                {"error": {"code": "too_large", "message": "Refused by the host."}},
            ),
        },
    )
    _serve(forge_page, contract.PANEL_RESOURCE, host)
    forge_page.goto(f"{ORIGIN}/index.html")
    forge_page.wait_for_selector("#upload-card:not([hidden])")
    assert forge_page.text_content("#tg-project-key") == "UWEC"
    assert host.calls[0][0] == "getContext"
    assert host.invoked() == [("GET", f"{project}/page-context"), ("GET", f"{project}/batches")]
    assert {p["invokeType"] for n, p in host.calls if n == "invoke"} == {"ui-remote-fetch"}

    files = [
        ("bundles.csv", b"Bundle,Machine name\nArticle,article\n"),
        ("fields.csv", b"Field,Type\nBody,text\n"),
    ]
    forge_page.set_input_files(
        "#file-input", [{"name": n, "mimeType": "text/csv", "buffer": data} for n, data in files]
    )
    forge_page.click("#upload-button")
    forge_page.wait_for_selector("#upload-error >> text=Refused by the host.")

    (upload,) = [p for n, p in host.calls if n == "fetchRemote"]
    assert upload["remoteKey"] == contract.REMOTE_KEY and upload["isMultipartFormData"] is True
    init = upload["fetchRequestInit"]
    assert (init["method"], init["path"]) == ("POST", f"{project}/batches")
    form = json.loads(init["body"])  # the bridge's serialisation: each file a data: URL under its own name
    assert [form["__filesName"], form["__files.1Name"]] == [n for n, _ in files]
    assert [_data_url(form["files"]), _data_url(form["files.1"])] == [d for _, d in files]


def _data_url(url: str) -> bytes:
    head, _, data = url.partition(",")
    assert head == "data:text/csv;base64", head
    return base64.b64decode(data)


def test_the_settings_page_loads_through_invoke_remote(forge_page: Any) -> None:
    settings = {"approval_required": True, "slack_channel": "C0123ABCD", "approvers": ["U0123ABCD"]}
    host = ForgeHost(
        context={"accountId": "557058:admin", "siteUrl": SITE, "extension": {"type": "jira:adminPage"}},
        answers={("GET", "/api/settings"): (200, {"settings": settings, "slack": {"mode": "off"}})},
    )
    _serve(forge_page, contract.SETTINGS_RESOURCE, host)
    forge_page.goto(f"{ORIGIN}/index.html")
    forge_page.wait_for_function("document.getElementById('slack_channel').value === 'C0123ABCD'")
    assert forge_page.input_value("#approvers") == "U0123ABCD"
    assert host.invoked() == [("GET", "/api/settings")]
