"""`ticketgen sandbox` as a real process: starts, installs the add-on, prints the URL, stops on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from html import unescape
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
URL_LINE = re.compile(r"Sandbox Jira project: (http://\S+/sandbox/projects/UWEC)")


def test_sandbox_command_installs_and_stops_cleanly(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BASE_URL", "DATABASE_URL", "REDIS_URL", "SECRET_KEY")
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ticketgen.cli",
            "sandbox",
            "--port",
            "0",
            "--data-dir",
            str(tmp_path / "data"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if URL_LINE.search(line):
                found.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert found.wait(60), f"no project URL printed: {lines} {process.poll()}"
        match = next(m for m in map(URL_LINE.search, lines) if m)
        url = match.group(1)
        base = url.split("/sandbox/", 1)[0]
        assert requests.get(f"{base}/healthz", timeout=10).status_code == 200
        page = requests.get(url, timeout=10)
        src = unescape(re.search(r'<iframe id="addon-panel"[^>]* src="([^"]+)"', page.text).group(1))  # type: ignore[union-attr]
        assert (
            requests.get(src, timeout=10).status_code == 200
        )  # the add-on has the tenant and accepts the JWT
        assert (tmp_path / "data" / "sandbox.db").exists()
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    assert code == 0, process.stderr.read() if process.stderr else ""


def test_sandbox_command_rejects_a_bad_port(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ticketgen.cli", "sandbox", "--port", "70000", "--data-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "70000" in result.stderr and "Traceback" not in result.stderr
