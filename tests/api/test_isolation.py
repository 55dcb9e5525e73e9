"""Tenant A's batch can never be read or changed by tenant B, nor from another project: EVERY API route, on
either host (Connect sites with session tokens; Forge installations with a FIT on every request).

The cases are keyed by the route table itself, so a new route without an isolation case fails here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.fernet import Fernet
from starlette.routing import Route
from starlette.testclient import TestClient

from app import api, pipeline
from app.config import Config
from app.main import create_app
from tests.connect.fixtures import BASE_URL, Panel, install
from tests.connect.jira_peer import (
    APP_KEY,
    JiraSite,
    PermissionsPeer,
    new_rsa_key,
    public_pem,
    serve_install_keys,
)
from tests.forge.fixtures import ForgePanel, forge_config
from tests.forge.fixtures import install as install_forge
from tests.peers.forge_platform import ForgeSite, serve_forge_jwks

# (method, path) -> request kwargs; {batch}, {draft}, {file}, {blocker}, {blocked} are filled per world.
CASES: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/api/projects/{project_key}/page-context"): {},
    ("GET", "/api/projects/{project_key}/batches"): {},
    ("POST", "/api/projects/{project_key}/batches"): {"files": [("files", ("x.csv", b"ID,X,Name\n"))]},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}"): {},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/files"): {},
    ("POST", "/api/projects/{project_key}/batches/{batch_id}/files"): {
        "files": [("files", ("{file}", b"ID,X,Name\n"))]
    },
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/files/{file_name}"): {},
    ("DELETE", "/api/projects/{project_key}/batches/{batch_id}/files/{file_name}"): {},
    ("DELETE", "/api/projects/{project_key}/batches/{batch_id}"): {},
    ("PUT", "/api/projects/{project_key}/batches/{batch_id}/files/{file_name}/type"): {
        "json": {"type": "unknown"}
    },
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/findings"): {},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/findings.csv"): {},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/review"): {},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/review.md"): {},
    ("POST", "/api/projects/{project_key}/batches/{batch_id}/drafting"): {},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/drafts"): {},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/drafts/{draft_key}"): {},
    ("PATCH", "/api/projects/{project_key}/batches/{batch_id}/drafts/{draft_key}"): {
        "json": {"summary": "pwned"}
    },
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/dependencies"): {},
    ("POST", "/api/projects/{project_key}/batches/{batch_id}/dependencies"): {"json": "edge"},
    ("DELETE", "/api/projects/{project_key}/batches/{batch_id}/dependencies"): {"json": "edge"},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/existing"): {},
    ("POST", "/api/projects/{project_key}/batches/{batch_id}/resync"): {},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/resync"): {},
    ("PATCH", "/api/projects/{project_key}/batches/{batch_id}/resync"): {
        "json": {"choices": {"x": "take-spec"}}
    },
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/plan"): {},
    ("PATCH", "/api/projects/{project_key}/batches/{batch_id}/plan"): {
        "json": {"people": {"Front End": "557058:pwned"}, "sprint": 1}
    },
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/plan/users"): {"params": {"query": "a"}},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/plan/sprints"): {},
    ("POST", "/api/projects/{project_key}/batches/{batch_id}/submit"): {},
    ("POST", "/api/projects/{project_key}/batches/{batch_id}/withdraw"): {},
    ("POST", "/api/projects/{project_key}/batches/{batch_id}/decision"): {
        "json": {"decision": "reject", "reason": "x"}
    },
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/drafts/{draft_key}/preview"): {},
    ("POST", "/api/projects/{project_key}/batches/{batch_id}/runs/{run_id}/cancel"): {},
    ("GET", "/api/projects/{project_key}/batches/{batch_id}/export"): {},
    ("POST", "/api/projects/{project_key}/batches/{batch_id}/export"): {},
    ("GET", "/api/settings"): {},
    ("PUT", "/api/settings"): {"json": {"approval_required": False, "labels": ["pwned"]}},
}


def _table() -> list[tuple[str, str]]:
    return [
        (method, route.path)
        for route in api.routes
        if isinstance(route, Route)
        for method in sorted(route.methods or ())
        if method != "HEAD"
    ]


def test_every_api_route_has_an_isolation_case() -> None:
    assert set(_table()) == set(CASES), "add an isolation case for each new API route"


@dataclass
class World:
    client: TestClient
    victim: Panel | ForgePanel  # tenant A, project ABC
    victim_admin: Panel | ForgePanel
    intruder: Panel | ForgePanel  # tenant B, project ABC (same key, other site)
    intruder_admin: Panel | ForgePanel
    other_project: Panel | ForgePanel  # tenant A, project XYZ
    batch_id: str
    draft_key: str
    file_name: str
    edge: dict[str, str]
    run_id: str = ""

    def snapshot(self) -> dict[str, Any]:
        v = self.victim
        return {
            "status": v.request("GET", f"batches/{self.batch_id}").json()["batch"],
            "drafts": v.request("GET", f"batches/{self.batch_id}/drafts").json(),
            "deps": v.request("GET", f"batches/{self.batch_id}/dependencies").json(),
            "plan": v.request("GET", f"batches/{self.batch_id}/plan").json(),
            "files": v.request("GET", f"batches/{self.batch_id}/files").json(),
            "batches": [b["id"] for b in v.request("GET", "batches").json()["batches"]],
            "settings": self.victim_admin.request("GET", "/api/settings").json(),
        }


@pytest.fixture(scope="module", params=["connect", "forge"])
def world(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    uwec_files: list[tuple[str, bytes]],
) -> Iterator[World]:
    """The same two tenants and their panels on either host: Connect sites with their session tokens, or Forge
    installations whose every request carries a FIT for its page."""
    with ExitStack() as stack:
        data_dir = tmp_path_factory.mktemp("isolation")
        if request.param == "connect":
            key = new_rsa_key()
            keys = stack.enter_context(serve_install_keys())
            keys.keys["kid-1"] = public_pem(key)
            config = Config(
                base_url=BASE_URL,
                data_dir=data_dir,
                secret_key=Fernet.generate_key().decode(),
                install_keys_url=keys.url,
                app_key=APP_KEY,
            )
        else:
            jwks = stack.enter_context(serve_forge_jwks(**{"forge-1": new_rsa_key()}))
            config = forge_config(data_dir, jwks)
        client = stack.enter_context(
            TestClient(create_app(config, permissions=PermissionsPeer()), raise_server_exceptions=False)
        )
        if request.param == "connect":
            a, b = JiraSite(), JiraSite()
            assert install(client, a, key) == 204 and install(client, b, key) == 204
            panel: Callable[..., Any] = lambda site, *args, **kw: Panel(client, site, *args, **kw)  # noqa: E731
        else:
            a, b = ForgeSite(), ForgeSite()
            assert install_forge(client, jwks, a) == 200 and install_forge(client, jwks, b) == 200
            panel = lambda site, *args, **kw: ForgePanel(client, jwks, site, *args, **kw)  # noqa: E731
        yield _world(
            client,
            panel(a, "ABC"),
            panel(a, admin=True),
            panel(b, "ABC"),
            panel(b, admin=True),
            panel(a, "XYZ"),
            uwec_files,
        )


def _world(
    client: TestClient, victim: Any, victim_admin: Any, intruder: Any, intruder_admin: Any, other_project: Any,
    uwec_files: list[tuple[str, bytes]],
) -> World:  # fmt: skip
    upload = [("files", (n, c, "text/csv")) for n, c in uwec_files]
    created = victim.request("POST", "batches", files=upload).json()
    batch_id = created["batch"]["id"]
    drafting = victim.request("POST", f"batches/{batch_id}/drafting")
    assert drafting.status_code == 202
    client.portal.call(pipeline.wait_idle)
    drafts = victim.request("GET", f"batches/{batch_id}/drafts").json()["drafts"]
    fields = next(d for d in drafts if d["kind"] == "fields")
    workflow = next(d for d in drafts if d["kind"] == "workflow")
    edge = {"blocker": fields["key"], "blocked": workflow["key"]}
    assert victim.request("POST", f"batches/{batch_id}/dependencies", json=edge).status_code == 201
    return World(
        client=client,
        victim=victim,
        victim_admin=victim_admin,
        intruder=intruder,
        intruder_admin=intruder_admin,
        other_project=other_project,
        batch_id=batch_id,
        draft_key=fields["key"],
        file_name=created["files"][0]["name"],
        edge=edge,
        run_id=drafting.json()["run_id"],
    )


def _call(world: World, panel: Panel, method: str, template: str, project: str) -> Any:
    path = template.format(
        project_key=project,
        batch_id=world.batch_id,
        draft_key=world.draft_key,
        file_name=world.file_name,
        run_id=world.run_id,
    )
    kwargs = dict(CASES[(method, template)])
    if "files" in kwargs:  # a replacement of the victim's file, by its name
        kwargs["files"] = [(f, (n.format(file=world.file_name), c)) for f, (n, c) in kwargs["files"]]
    if kwargs.get("json") == "edge":
        kwargs["json"] = world.edge
    return panel.request(method, path, **kwargs)


@pytest.mark.parametrize(("method", "template"), list(CASES))
def test_other_tenant_and_other_project_cannot_touch_the_batch(
    world: World, method: str, template: str
) -> None:
    before = world.snapshot()
    if "{batch_id}" in template:
        # another tenant, same project key: the batch does not exist for it
        response = _call(world, world.intruder, method, template, "ABC")
        assert response.status_code == 404, (response.status_code, response.text)
        assert response.json()["error"]["code"] == "batch_not_found"
        # same tenant, the batch's id under another project
        response = _call(world, world.other_project, method, template, "XYZ")
        assert response.status_code == 404 and response.json()["error"]["code"] == "batch_not_found"
        # a session (Forge: a FIT) of one project used on another project's URL
        response = _call(world, world.other_project, method, template, "ABC")
        assert response.status_code == 401 and response.json()["error"]["code"] == "wrong_project"
    elif template.startswith("/api/settings"):
        response = _call(world, world.intruder_admin, method, template, "ABC")
        assert response.status_code == 200
        assert response.json()["settings"]["labels"] in ([], ["pwned"])  # its own settings only
    else:
        response = _call(world, world.intruder, method, template, "ABC")
        assert response.status_code in (200, 201), response.text
        assert world.batch_id not in response.text
    assert world.snapshot() == before
