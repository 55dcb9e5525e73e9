"""A second Store on the same SQLite file in one process (a worker's first messages, the app beside an
embedded worker) must not cost the first one its locks: POSIX drops every lock a process holds on a file
when any descriptor of that file is closed. Once the locks were gone, another process closing its own
connection took itself for the last one and removed the WAL, and the first Store's later commits went to
a file nobody else reads (an export seen as stuck, its progress never arriving)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from app.store import Store
from app.store.crypto import new_secret_key


def _tenants_seen_by_another_process(path: Path) -> list[str]:
    script = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
        "print('\\n'.join(r[0] for r in c.execute('SELECT client_key FROM tenants ORDER BY client_key')));"
        "c.close()"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    return out.stdout.split()


async def test_a_second_store_in_the_process_keeps_the_first_ones_commits_visible(tmp_path: Path) -> None:
    path = tmp_path / "ticketgen.db"
    url = f"sqlite+aiosqlite:///{path}"
    first = Store(url=url, secret_key=new_secret_key())
    second = None
    try:
        await first.migrate()
        await first.upsert_tenant("before", shared_secret="s" * 32, base_url="https://a.atlassian.net")
        second = Store(url=url, secret_key=new_secret_key())
        assert _tenants_seen_by_another_process(path) == ["before"]  # it opens and closes a connection
        await first.upsert_tenant("after", shared_secret="s" * 32, base_url="https://b.atlassian.net")
        assert _tenants_seen_by_another_process(path) == ["after", "before"]
        with sqlite3.connect(path) as fresh:
            assert fresh.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        await first.close()
        if second is not None:
            await second.close()
