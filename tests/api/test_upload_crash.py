"""`kill -9` of the web process in the middle of an upload: after the restart there is no half-stored batch,
and the same upload goes through. A real `ticketgen serve` on PostgreSQL; the test holds a lock on the files
table so the server is caught storing the upload, and kills it once PostgreSQL shows it waiting there."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.store import Store
from tests.conftest import ROOT, UWEC
from tests.connect.jira_peer import JiraSite
from tests.served import free_port
from tests.store.conftest import new_database

DEADLINE_S = 60  # against hangs, not a timing assertion


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    with new_database("postgresql", tmp_path) as url:
        yield url


class Server:
    """`ticketgen serve` in its own process group, so SIGKILL reaches everything it started."""

    def __init__(self, data_dir: Path, database_url: str, secret_key: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SLACK_BOT_TOKEN")}
        self.env = {**env, "DATABASE_URL": database_url, "SECRET_KEY": secret_key, "BASE_URL": self.base}
        self.data_dir = data_dir
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        args = [sys.executable, "-m", "ticketgen.cli", "serve", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            [*args, "--data-dir", str(self.data_dir)], cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + DEADLINE_S
        while True:
            assert self.proc.poll() is None, "the server exited while starting"
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server never answered"
            time.sleep(0.1)

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill9()


@asynccontextmanager
async def files_table_locked(database_url: str) -> AsyncIterator[Callable[[], Awaitable[None]]]:
    """No row can be added to spec_files until the block ends (reads still go on); it yields a wait until
    some session is held up by that, watched from a second connection: within one transaction PostgreSQL
    shows the same snapshot of pg_stat_activity."""
    engine = create_async_engine(database_url)
    watcher = create_async_engine(database_url, isolation_level="AUTOCOMMIT")

    async def held_up() -> None:
        deadline = time.monotonic() + DEADLINE_S
        async with watcher.connect() as watch:
            while True:
                waiting = await watch.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO spec_files%'"
                    )
                )
                if waiting.scalar_one():
                    return
                assert time.monotonic() < deadline, "the server never got to storing the files"
                await asyncio.sleep(0.05)

    try:
        async with engine.connect() as conn:
            await conn.execute(text("LOCK TABLE spec_files IN SHARE MODE"))
            yield held_up
            await conn.rollback()
    finally:
        await engine.dispose()
        await watcher.dispose()


async def test_kill_9_while_an_upload_is_stored_leaves_no_batch_behind(database: str, tmp_path: Path) -> None:
    site, secret_key = JiraSite(), Fernet.generate_key().decode()
    async with Store(url=database, secret_key=secret_key) as store:
        await store.migrate()
        await store.upsert_tenant(site.client_key, shared_secret=site.shared_secret, base_url=site.base_url)
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in sorted(UWEC.glob("*.csv"))]
    server = Server(tmp_path, database, secret_key).start()

    def api(client: httpx.AsyncClient, method: str, **kw: Any) -> Awaitable[httpx.Response]:
        headers = {"Authorization": f"JWT {site.context_token('ABC')}"}  # a fresh one: they live 3 minutes
        return client.request(method, f"{server.base}/api/projects/ABC/batches", headers=headers, **kw)

    try:
        async with httpx.AsyncClient(timeout=DEADLINE_S) as client:
            async with files_table_locked(database) as held_up:
                upload = asyncio.create_task(api(client, "POST", files=files, data={"name": "Killed"}))
                await held_up()
                server.kill9()
                with pytest.raises(httpx.TransportError):
                    await upload
            server.start()
            listed = (await api(client, "GET")).json()["batches"]
            assert listed == [], f"the killed upload left a batch behind: {listed}"

            again = await api(client, "POST", files=files, data={"name": "Again"})
            assert again.status_code == 201, again.text
            assert again.json()["batch"]["status"] == "validated"
            assert len(again.json()["files"]) == len(files)
            listed = (await api(client, "GET")).json()["batches"]
            assert [(b["name"], b["status"]) for b in listed] == [("Again", "validated")]
    finally:
        server.stop()
