"""Load: one upload of 25 files of junk rows (50 MB) against a real `ticketgen serve` process.

Before issue 13's bounds a single 2 MB file of such rows took 100 s, 1.16 GB and the health check. Now,
while the batch is read, another tenant's panel and the health check keep answering; the batch keeps every
file and byte, every file gets a finding that says what was (not) read, and the server's peak RSS stays
under UPLOAD_PEAK_RSS_MB (the README names it; the parse itself runs in a child with its own 1 GB limit).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench._utils import junk_rows_csv
from tests.conftest import ROOT
from tests.connect.jira_peer import (
    APP_KEY,
    JiraSite,
    install_token,
    new_rsa_key,
    public_pem,
    serve_install_keys,
)
from tests.connect.test_serve import _free_port, _wait_up
from ticketgen.spec.limits import MAX_ROWS_PER_BATCH, MAX_ROWS_PER_FILE

pytestmark = pytest.mark.slow

FILES = 25
UPLOAD_PEAK_RSS_MB = 400  # README, "Limits"


def _peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(x for x in status.splitlines() if x.startswith("VmHWM:")).split()[1]) / 1024


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen, JiraSite, JiraSite]]:
    key = new_rsa_key()
    with serve_install_keys() as keys:
        keys.keys["kid-1"] = public_pem(key)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")}
        env |= {"BASE_URL": base, "INSTALL_KEYS_URL": keys.url}
        command = [
            sys.executable,
            "-m",
            "ticketgen.cli",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path),
        ]
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            assert _wait_up(f"{base}/healthz", proc).status_code == 200
            sites = JiraSite(), JiraSite()
            for site in sites:
                token = install_token(key, kid="kid-1", aud=base, iss=site.client_key)
                installed = httpx.post(
                    f"{base}/lifecycle/installed",
                    json={**site.install_body(), "key": APP_KEY},
                    headers={"Authorization": f"JWT {token}"},
                )
                assert installed.status_code == 204, installed.text
            yield base, proc, *sites
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.communicate(timeout=30)


def _auth(site: JiraSite, project: str) -> dict[str, str]:
    return {"Authorization": f"JWT {site.context_token(project)}"}


async def _upload(base: str, site: JiraSite, files: list[tuple[str, bytes]]) -> httpx.Response:
    async with httpx.AsyncClient(timeout=300) as client:
        return await client.post(
            f"{base}/api/projects/ABC/batches",
            files=[("files", (name, data, "text/csv")) for name, data in files],
            headers=_auth(site, "ABC"),
        )


async def _other_tenant(base: str, site: JiraSite, upload: asyncio.Task[httpx.Response]) -> list[int]:
    """Another tenant's panel and the health check, for as long as the upload lasts; each must answer
    within httpx's 10 s timeout (a timeout fails the test)."""
    statuses: list[int] = []
    async with httpx.AsyncClient(timeout=10) as client:
        while not upload.done():
            batches = await client.get(f"{base}/api/projects/XYZ/batches", headers=_auth(site, "XYZ"))
            health = await client.get(f"{base}/healthz")
            statuses += [batches.status_code, health.status_code]
    return statuses


def test_25_files_of_junk_rows_lose_nothing_and_leave_others_answered(
    server: tuple[str, subprocess.Popen, JiraSite, JiraSite],
) -> None:
    base, proc, uploader, other = server
    junk = junk_rows_csv(2 * 1024 * 1024 - 8 * 1024)
    files = [(f"junk-{i:02}.csv", junk.replace(b"j0,", f"file{i},".encode(), 1)) for i in range(FILES)]

    async def run() -> tuple[httpx.Response, list[int]]:
        upload = asyncio.create_task(_upload(base, uploader, files))
        others = await _other_tenant(base, other, upload)
        return await upload, others

    response, others = asyncio.run(run())
    peak = _peak_rss_mb(proc.pid)
    print(f"server peak RSS {peak:.0f} MB; {len(others)} other requests answered during the upload")

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["batch"]["status"] == "invalid"
    stored = {f["name"]: f for f in created["files"]}
    assert list(stored) == [name for name, _ in files]
    assert all(stored[name]["size"] == len(data) for name, data in files), "every byte kept"
    assert sum(f["rows"] for f in created["files"]) == MAX_ROWS_PER_BATCH
    assert [f["rows"] for f in created["files"][:2]] == [MAX_ROWS_PER_FILE] * 2

    batch = created["batch"]["id"]
    findings: list[dict] = []
    offset = 0
    with httpx.Client(timeout=30) as client:
        while offset is not None:
            page = client.get(
                f"{base}/api/projects/ABC/batches/{batch}/findings?offset={offset}",
                headers=_auth(uploader, "ABC"),
            ).json()
            findings += page["findings"]
            offset = page["next_offset"]
    limits = Counter(f["file"] for f in findings if f["code"] == "too_many_rows")
    assert set(limits) == set(stored) and set(limits.values()) == {1}, "each file says what was not read"
    assert len(findings) < 2_000

    assert len(others) >= 10 and set(others) == {200}, Counter(others)
    assert peak < UPLOAD_PEAK_RSS_MB, f"peak RSS {peak:.0f} MB"
