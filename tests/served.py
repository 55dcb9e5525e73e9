"""`ticketgen serve` as a real process, for the load tests: what another user meets while an attack or a
fault runs, and the server's own peak memory, which only a process of its own can show."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.conftest import ROOT
from tests.connect.jira_peer import (
    APP_KEY,
    JiraSite,
    install_token,
    new_rsa_key,
    public_pem,
    serve_install_keys,
)

# settings a test's own environment may carry that a served process must not inherit unless asked
PRIVATE_ENV = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "BASE_URL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen) -> httpx.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def rss_mb(pid: int | str = "self", *, peak: bool = False) -> float:
    """VmHWM (peak) or VmRSS (now) from /proc, in MB."""
    field = "VmHWM:" if peak else "VmRSS:"
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(x for x in status.splitlines() if x.startswith(field)).split()[1]) / 1024


@dataclass
class Served:
    base: str
    proc: subprocess.Popen[str]

    def peak_rss_mb(self) -> float:
        return rss_mb(self.proc.pid, peak=True)

    def stop(self) -> tuple[str, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.communicate(timeout=30)


@contextmanager
def served(data_dir: Path, **env: str) -> Iterator[Served]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    full = {k: v for k, v in os.environ.items() if k not in PRIVATE_ENV} | {"BASE_URL": base} | env
    command = [
        sys.executable,
        "-m",
        "ticketgen.cli",
        "serve",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
    ]
    proc = subprocess.Popen(
        command, cwd=ROOT, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    app = Served(base, proc)
    try:
        assert wait_up(f"{base}/healthz", proc).status_code == 200
        yield app
    finally:
        if proc.returncode is None:
            app.stop()


@contextmanager
def served_to(sites: Sequence[JiraSite], data_dir: Path, **env: str) -> Iterator[Served]:
    """Served and installed by each site through the signed install, as Jira installs it."""
    key = new_rsa_key()
    with serve_install_keys() as keys:
        keys.keys["kid-1"] = public_pem(key)
        with served(data_dir, INSTALL_KEYS_URL=keys.url, **env) as app:
            for site in sites:
                token = install_token(key, kid="kid-1", aud=app.base, iss=site.client_key)
                installed = httpx.post(
                    f"{app.base}/lifecycle/installed",
                    json={**site.install_body(), "key": APP_KEY},
                    headers={"Authorization": f"JWT {token}"},
                )
                assert installed.status_code == 204, installed.text
            yield app


def panel_auth(site: JiraSite, project: str) -> dict[str, str]:
    return {"Authorization": f"JWT {site.context_token(project)}"}


async def keep_asking(
    base: str, site: JiraSite, project: str, *, until: Callable[[], bool], panels: int = 1
) -> list[int]:
    """Panels of another user listing their batches, and the health check, until `until()`: the statuses.
    Each request must answer within httpx's 10 s timeout (a timeout fails the test)."""
    statuses: list[int] = []

    async def panel() -> None:
        async with httpx.AsyncClient(timeout=10) as client:
            while not until():
                batches = await client.get(
                    f"{base}/api/projects/{project}/batches", headers=panel_auth(site, project)
                )
                health = await client.get(f"{base}/healthz")
                statuses.extend((batches.status_code, health.status_code))

    await asyncio.gather(*(panel() for _ in range(panels)))
    return statuses
