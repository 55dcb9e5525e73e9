"""Request bodies shaped like the export's, and `ticketgen sandbox` run as a real process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from app.store import TenantSettings
from app.store.records import Tenant
from sandbox import MOUNT

ROOT = Path(__file__).resolve().parents[2]
URL_LINE = re.compile(r"Sandbox Jira project: (http://\S+)/sandbox/projects/(\w+)")
# The command must pick its own settings, not those of the environment the tests run in.
SERVER_SETTINGS = ("BASE_URL", "DATABASE_URL", "REDIS_URL", "SECRET_KEY")

PROJECT = "UWEC"
TASK = "10001"


def tenant_of(site: Any, settings: TenantSettings | None = None) -> Tenant:
    """The add-on's record of the sandbox site (`site`: a `Site` with its shared secret)."""
    now = datetime.now(UTC)
    return Tenant(
        id="t-sandbox", client_key="sandbox-jira-site", shared_secret=site.shared_secret,
        base_url=site.base_url, display_url=None, product_type="jira", oauth_client_id=None,
        state="installed", install_generation=1, installed_at=now, updated_at=now, uninstalled_at=None,
        purge_after=None, settings=settings or TenantSettings(),
    )  # fmt: skip


@dataclass
class SandboxAdmin:
    """The sandbox's admin endpoints (faults, stats, settings), as tests and benchmarks drive them."""

    base_url: str

    def admin_call(self, method: str, path: str, **kwargs: Any) -> Any:
        # A fresh connection per call: a kept-alive one may be closed by the server while an export runs.
        response = requests.request(method, f"{self.base_url}/admin/{path}", timeout=10, **kwargs)
        assert response.status_code < 300, response.text
        return response.json()

    def fault(self, **rule: Any) -> dict[str, Any]:
        return self.admin_call("POST", "faults", json=rule)["faults"][0]

    def clear_faults(self) -> None:
        self.admin_call("DELETE", "faults")

    def stats(self) -> dict[str, Any]:
        return self.admin_call("GET", "stats")

    def settings(self, **changes: Any) -> dict[str, Any]:
        return self.admin_call("PUT", "settings", json=changes)

    def permissions(
        self, account: str, *, global_: tuple[str, ...] = (), projects: dict[str, list[str]] | None = None
    ) -> dict[str, Any]:
        """What `account` (`app` for the app's own user) may do from now on: exactly these permissions."""
        body = {"global": list(global_), "projects": projects or {}}
        return self.admin_call("PUT", f"permissions/{account}", json=body)


def adf(text: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


def issue(summary: str, *, batch: str = "b1", draft: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "fields": {
            "project": {"key": PROJECT},
            "issuetype": {"id": TASK},
            "summary": summary,
            "description": adf(f"Story of {summary}"),
            "labels": ["drupal-spec"],
        },
        "properties": [{"key": "ticketgen", "value": {"batchId": batch, "draftKey": draft or summary}}],
    }
    body.update(extra)
    return body


def blocked_by(key: str) -> dict[str, Any]:
    return {"issuelinks": [{"add": {"type": {"name": "Blocks"}, "inwardIssue": {"key": key}}}]}


@dataclass
class SandboxCommand:
    base_url: str
    project_key: str
    data_dir: Path
    process: subprocess.Popen[str]
    output: list[str]  # stdout and stderr, line by line
    host: str = "connect"  # the Atlassian host it plays (`--host`)

    @property
    def project_url(self) -> str:
        return f"{self.base_url}/sandbox/projects/{self.project_key}"

    @property
    def issues_url(self) -> str:
        return f"{self.project_url}/issues"

    @property
    def admin(self) -> SandboxAdmin:
        """Its admin endpoints (faults, stats, settings)."""
        return SandboxAdmin(f"{self.base_url}{MOUNT}")


@contextmanager
def sandbox_command(
    data_dir: Path, *, wait_s: float = 90, host: str | None = None, env: Mapping[str, str] | None = None
) -> Iterator[SandboxCommand]:
    """From the project URL the command prints (it has installed the add-on by then) until SIGTERM; the
    exit code is in `process.returncode` afterwards. `host`: `--host connect|forge` (default: the command's);
    `env`: settings of its own (`SANDBOX_…`, the export's `JOBS_*` tuning), on top of the tests' environment
    less the server settings."""
    env = {**{k: v for k, v in os.environ.items() if k not in SERVER_SETTINGS}, **(env or {})}
    chosen = [] if host is None else ["--host", host]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ticketgen.cli",
            "sandbox",
            "--port",
            "0",
            "--data-dir",
            str(data_dir),
            *chosen,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if URL_LINE.search(line):
                found.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert found.wait(wait_s), f"ticketgen sandbox printed no project URL: {''.join(output)}"
        match = next(m for m in map(URL_LINE.search, output) if m)
        yield SandboxCommand(match.group(1), match.group(2), data_dir, process, output, host or "connect")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
