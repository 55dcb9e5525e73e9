"""Every route that takes a body refuses one over its cap before reading it, signed in or not.

The server is real (uvicorn), and the requests are written byte by byte: a Content-Length of 200 MB with
no body behind it must be answered at once (a server that waits for the body hangs until the deadline),
and a chunked body that goes on past the cap must be cut off there.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from starlette.routing import Route

from app.api.uploads import MAX_UPLOAD_BYTES
from app.body_limit import MAX_BODY_BYTES
from app.config import Config
from app.main import create_app
from app.store import new_secret_key
from sandbox import Sandbox, SandboxSettings
from tests.bot.conftest import serve, slack_config
from tests.peers.raw_http import raw_request
from tests.peers.slack_server import SlackServer

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _concrete(path: str) -> str:
    return re.sub(r"\{\w+(:\w+)?\}", "x1", path.replace("{project_key}", "ABC"))


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[str, list[tuple[str, str]]]]:
    with SlackServer(channels=("C0APPROVALS",)) as slack:
        app = create_app(slack_config(tmp_path, slack))
        targets = [
            (method, _concrete(route.path))
            for route in app.routes
            if isinstance(route, Route)
            for method in sorted((route.methods or set()) & BODY_METHODS)
        ]
        async with serve(app) as base:
            yield base, targets


async def test_every_route_refuses_a_declared_oversized_body_before_reading_it(
    served: tuple[str, list[tuple[str, str]]],
) -> None:
    base, targets = served
    assert ("POST", "/slack/events") in targets and ("POST", "/lifecycle/installed") in targets
    assert len(targets) >= 15
    for method, path in targets:
        response = await raw_request(
            base + path,
            method=method,
            headers={"Content-Type": "application/json"},
            declared_length=200 * 1024 * 1024,
        )
        assert response.status == 413, (method, path, response.body)
        assert response.json()["error"]["code"] == "body_too_large"


async def test_a_chunked_body_past_the_cap_is_cut_off(served: tuple[str, list[tuple[str, str]]]) -> None:
    """/slack/events reads the body first (the signature covers it), so it is the route to stream at."""
    base, _targets = served
    chunks = [b"{" + b" " * (64 * 1024)] * (4 * MAX_BODY_BYTES // (64 * 1024))
    response = await raw_request(
        base + "/slack/events", headers={"Content-Type": "application/json"}, chunks=chunks
    )
    assert response.status == 413, response.body
    assert "256 KB" in response.json()["error"]["message"]


async def test_the_upload_route_keeps_its_own_larger_cap(served: tuple[str, list[tuple[str, str]]]) -> None:
    base, _targets = served
    url = base + "/api/projects/ABC/batches"
    over = await raw_request(url, declared_length=MAX_UPLOAD_BYTES + 1)
    assert over.status == 413
    # Under its cap the body is not refused for its size: the request gets as far as authentication.
    under = await raw_request(url, body=b"x" * (MAX_BODY_BYTES + 1))
    assert under.status == 401


async def test_in_sandbox_mode_the_jira_stand_in_takes_jira_sized_bodies(tmp_path: Path) -> None:
    """The add-on's Jira client sends bulk creates and attachments to the stand-in in the same process."""
    config = Config(
        base_url="http://127.0.0.1:8000", data_dir=tmp_path, secret_key=new_secret_key(), sandbox=True
    )
    sandbox = Sandbox.open(config, settings=SandboxSettings())
    try:
        async with serve(create_app(config, extra_routes=sandbox.routes())) as base:
            bulk = await raw_request(
                base + "/sandbox/rest/api/3/issue/bulk",
                body=b'{"issueUpdates": [' + b" " * (4 * MAX_BODY_BYTES) + b"]}",
                headers={"Content-Type": "application/json"},
            )
            assert bulk.status == 401, bulk.body  # the stand-in's own answer to an unsigned request
            settings = await raw_request(
                base + "/api/settings", method="PUT", declared_length=MAX_BODY_BYTES + 1
            )
            assert settings.status == 413
    finally:
        sandbox.close()
