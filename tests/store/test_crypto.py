from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app.config import Config
from app.store import SecretKeyError, Store, load_or_create_secret_key, new_secret_key
from app.store.crypto import SecretBox


def test_roundtrip_and_rotation() -> None:
    old, new = new_secret_key(), new_secret_key()
    token = SecretBox(old).encrypt("shh")
    assert "shh" not in token
    assert SecretBox(f"{new}, {old}").decrypt(token) == "shh"
    with pytest.raises(SecretKeyError, match="SECRET_KEY differs"):
        SecretBox(new).decrypt(token)


@pytest.mark.parametrize(
    ("key", "message"), [("", "SECRET_KEY is not set"), ("not-a-key", "not a valid Fernet key")]
)
def test_missing_or_invalid_key(key: str, message: str) -> None:
    with pytest.raises(SecretKeyError, match=message):
        SecretBox(key)
    with pytest.raises(SecretKeyError, match=message):
        Store(url="sqlite+aiosqlite:////tmp/never-created.db", secret_key=key)


def test_load_or_create_persists_with_owner_only_perms(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key = load_or_create_secret_key(data_dir)
    path = data_dir / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret_key(data_dir) == key
    SecretBox(key)


def test_load_refuses_a_corrupt_key_file(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("garbage")
    with pytest.raises(SecretKeyError, match="not a valid Fernet key"):
        load_or_create_secret_key(tmp_path)


async def test_from_config_embedded_and_production(tmp_path: Path) -> None:
    embedded = Store.from_config(Config(data_dir=tmp_path / "d"))
    try:
        assert (tmp_path / "d" / "secret.key").exists()
        assert embedded.engine.url.database == str((tmp_path / "d" / "ticketgen.db").resolve())
    finally:
        await embedded.close()
    with pytest.raises(SecretKeyError, match="SECRET_KEY must be set when DATABASE_URL is"):
        Store.from_config(Config(data_dir=tmp_path, database_url="postgresql+asyncpg://u:p@h/db"))


def test_in_memory_sqlite_is_refused() -> None:
    with pytest.raises(ValueError, match="SQLite file"):
        Store(url="sqlite+aiosqlite:///:memory:", secret_key=new_secret_key())


@pytest.mark.parametrize("existing", [False, True])
async def test_the_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path, existing: bool) -> None:
    """Issue 13 (11): the database files were created world-readable (the umask's 0644)."""
    path = tmp_path / "ticketgen.db"
    if existing:  # a file an older version left readable by everyone is tightened
        path.touch(mode=0o644)
        path.chmod(0o644)
    store = Store(url=f"sqlite+aiosqlite:///{path}", secret_key=new_secret_key())
    try:
        await store.migrate()
        await store.upsert_tenant("owner-only", shared_secret="s" * 32, base_url="https://a.atlassian.net")
    finally:
        await store.close()
    written = [p for p in tmp_path.iterdir() if p.name.startswith("ticketgen.db")]
    assert path in written
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in written), [
        (p.name, oct(p.stat().st_mode)) for p in written
    ]
