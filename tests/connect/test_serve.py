"""`ticketgen serve` as a real process: generates and keeps a secret key, serves, stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import ROOT
from tests.served import free_port, wait_up


def test_serve_runs_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "BASE_URL")
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "ticketgen.cli", "serve", "--port", str(port), "--data-dir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = wait_up(f"http://127.0.0.1:{port}/healthz", proc)
        assert health.status_code == 200 and health.json()["checks"]["database"] == "ok"
        descriptor = httpx.get(f"http://127.0.0.1:{port}/atlassian-connect.json").json()
        assert descriptor["baseUrl"] == f"http://localhost:{port}"
        key_file = tmp_path / "secret.key"
        assert key_file.exists() and (key_file.stat().st_mode & 0o077) == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert key_file.read_text().strip() not in out + err  # the secret is never printed
    assert (tmp_path / "ticketgen.db").exists()


def test_serve_refuses_database_url_without_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DATABASE_URL"] = "postgresql+asyncpg://nobody@127.0.0.1:1/none"
    result = subprocess.run(
        [sys.executable, "-m", "ticketgen.cli", "serve", "--data-dir", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_iframe_jwts_are_redacted_from_access_logs() -> None:
    import logging

    from app.connect.redact import RedactTokens

    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/panel/projects/ABC?projectId=1&jwt=eyJ.abc.def&lic=none", "1.1", 200), None,
    )  # fmt: skip
    RedactTokens().filter(record)
    message = record.getMessage()
    assert "eyJ.abc.def" not in message and "jwt=[redacted]&lic=none" in message
