"""Secrets at rest (tenant shared secrets, Slack tokens) are Fernet tokens; the key comes from `SECRET_KEY`.

`SECRET_KEY` may hold several comma-separated keys: the first encrypts, all decrypt, so a key can be
rotated without a migration (put the new key first, re-save the tenants, then drop the old key).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

SECRET_KEY_FILE = "secret.key"


class SecretKeyError(RuntimeError):
    """The configured secret key is missing, malformed, or not the one the data was encrypted with."""


def new_secret_key() -> str:
    return Fernet.generate_key().decode("ascii")


def load_or_create_secret_key(data_dir: Path | str) -> str:
    """The embedded default's key: generated once, kept next to the SQLite file, readable by the owner only."""
    path = Path(data_dir) / SECRET_KEY_FILE
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        SecretBox(key)  # fail now, naming the file, rather than on the first tenant read
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = new_secret_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key + "\n")
    return key


class SecretBox:
    """Parameters:
    secret_key: one Fernet key, or several separated by commas (first one encrypts).
    """

    def __init__(self, secret_key: str) -> None:
        keys = [k.strip() for k in (secret_key or "").split(",") if k.strip()]
        if not keys:
            raise SecretKeyError(
                "SECRET_KEY is not set: generate one with "
                "`python -c 'from app.store import new_secret_key; print(new_secret_key())'`"
            )
        try:
            self._fernet = MultiFernet([Fernet(k) for k in keys])
        except (ValueError, TypeError) as exc:
            raise SecretKeyError(
                "SECRET_KEY is not a valid Fernet key (32 url-safe base64-encoded bytes)"
            ) from exc

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise SecretKeyError(
                "a stored secret cannot be decrypted: SECRET_KEY differs from the key it was saved with"
            ) from exc
