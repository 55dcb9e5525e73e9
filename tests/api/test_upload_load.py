"""Load: one upload of 25 files of junk rows (50 MB) against a real `ticketgen serve` process.

Before issue 13's bounds a single 2 MB file of such rows took 100 s, 1.16 GB and the health check. Now,
while the batch is read, another tenant's panel and the health check keep answering; the batch keeps every
file and byte, every file gets a finding that says what was (not) read, and the server's peak RSS stays
under UPLOAD_PEAK_RSS_MB (the README names it; the parse itself runs in a child with its own 1 GB limit).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench._utils import junk_rows_csv
from tests.connect.jira_peer import JiraSite
from tests.served import Served, keep_asking, panel_auth, served_to
from ticketgen.spec.limits import MAX_ROWS_PER_BATCH, MAX_ROWS_PER_FILE

pytestmark = pytest.mark.slow

FILES = 25
UPLOAD_PEAK_RSS_MB = 400  # README, "Limits"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Served, JiraSite, JiraSite]]:
    sites = JiraSite(), JiraSite()
    with served_to(sites, tmp_path) as app:
        yield app, *sites


async def _upload(base: str, site: JiraSite, files: list[tuple[str, bytes]]) -> httpx.Response:
    async with httpx.AsyncClient(timeout=300) as client:
        return await client.post(
            f"{base}/api/projects/ABC/batches",
            files=[("files", (name, data, "text/csv")) for name, data in files],
            headers=panel_auth(site, "ABC"),
        )


def test_25_files_of_junk_rows_lose_nothing_and_leave_others_answered(
    server: tuple[Served, JiraSite, JiraSite],
) -> None:
    app, uploader, other = server
    base = app.base
    junk = junk_rows_csv(2 * 1024 * 1024 - 8 * 1024)
    files = [(f"junk-{i:02}.csv", junk.replace(b"j0,", f"file{i},".encode(), 1)) for i in range(FILES)]

    async def run() -> tuple[httpx.Response, list[int]]:
        upload = asyncio.create_task(_upload(base, uploader, files))
        others = await keep_asking(base, other, "XYZ", until=upload.done)
        return await upload, others

    response, others = asyncio.run(run())
    peak = app.peak_rss_mb()
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
                headers=panel_auth(uploader, "ABC"),
            ).json()
            findings += page["findings"]
            offset = page["next_offset"]
    limits = Counter(f["file"] for f in findings if f["code"] == "too_many_rows")
    assert set(limits) == set(stored) and set(limits.values()) == {1}, "each file says what was not read"
    assert len(findings) < 2_000

    assert len(others) >= 10 and set(others) == {200}, Counter(others)
    assert peak < UPLOAD_PEAK_RSS_MB, f"peak RSS {peak:.0f} MB"
