"""`ticketgen sandbox` as a real process: starts, installs the add-on, prints the URL, stops on SIGTERM."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import requests

from tests.sandbox.helpers import ROOT, sandbox_command


def test_sandbox_command_installs_and_stops_cleanly(tmp_path: Path) -> None:
    with sandbox_command(tmp_path / "data") as sandbox:
        assert sandbox.project_key == "UWEC"
        assert requests.get(f"{sandbox.base_url}/healthz", timeout=10).status_code == 200
        page = requests.get(sandbox.project_url, timeout=10)
        src = unescape(re.search(r'<iframe id="addon-panel"[^>]* src="([^"]+)"', page.text).group(1))  # type: ignore[union-attr]
        assert (
            requests.get(src, timeout=10).status_code == 200
        )  # the add-on has the tenant and accepts the JWT
        assert (tmp_path / "data" / "sandbox.db").exists()
    assert sandbox.process.returncode == 0, "".join(sandbox.output)


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
