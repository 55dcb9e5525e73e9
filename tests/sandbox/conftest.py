"""A sandbox Jira site served over real HTTP (uvicorn on 127.0.0.1, ephemeral port, in a thread), with the
app installed the way the sandbox records a completed install, so the client tests need no add-on."""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette

from app.config import Config
from app.connect.descriptor import descriptor
from app.jira import JiraClient
from sandbox import Sandbox, SandboxSettings
from sandbox.store import Installation
from tests.sandbox.helpers import SandboxAdmin

APP_KEY = "drupal-ticket-generator"


class ServerThread:
    """uvicorn in a daemon thread on an already-bound socket (so the port is known before it starts)."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        # a request an injected timeout still holds (up to 30 s) is cancelled after a second instead of
        # holding the test's teardown until the join below gives up
        config = uvicorn.Config(app, log_level="error", lifespan="on", timeout_graceful_shutdown=1)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class Site(SandboxAdmin):
    sandbox: Sandbox
    shared_secret: str

    def client(
        self, *, secret: str | None = None, timeout_s: int = 10, bulk_timeout_s: int | None = None,
        app_key: str = APP_KEY,
    ) -> JiraClient:  # fmt: skip
        return JiraClient(
            base_url=self.base_url,
            app_key=app_key,
            shared_secret=secret or self.shared_secret,
            timeout_s=timeout_s,
            bulk_timeout_s=timeout_s if bulk_timeout_s is None else bulk_timeout_s,
        )


def open_site(
    data_dir: Path, settings: SandboxSettings | None = None, *, host: str = "connect"
) -> tuple[Sandbox, ServerThread]:
    server_app = Starlette()
    thread = ServerThread(server_app)
    config = Config(base_url=f"http://127.0.0.1:{thread.port}", data_dir=data_dir, app_key=APP_KEY)
    sandbox = Sandbox.open(config, settings=settings or SandboxSettings(), host=host)
    server_app.router.routes.extend(sandbox.routes())
    return sandbox, thread


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    sandbox, thread = open_site(tmp_path_factory.mktemp("sandbox"))
    secret = secrets.token_urlsafe(32)
    doc = descriptor(base_url=sandbox.state.app_base_url, app_key=APP_KEY)
    sandbox.state.store.save_installation(
        Installation(sandbox.state.settings.client_key, APP_KEY, secret, sandbox.state.app_base_url, doc)
    )
    with thread:
        yield Site(base_url=sandbox.base_url, sandbox=sandbox, shared_secret=secret)
    sandbox.close()


@pytest.fixture
def jira(site: Site) -> Iterator[JiraClient]:
    site.admin_call("POST", "reset")
    # the stand-in's defaults, except the search index: these tests read their writes back through search
    site.settings(
        links_at_creation=True, index_delay_s=0, index_lag_s=0, omit_is_last=0.5, shuffle_bulk_results=True,
        labels_on_screen=True, required_field="", app_can_create=True, assignee_on_screen=True, boards=True,
        estimation="story_points",
    )  # fmt: skip
    with site.client() as client:
        yield client
