"""`ticketgen sandbox` as a real process: starts, installs the add-on, prints the URL, stops on SIGTERM."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
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


@pytest.mark.parametrize(
    ("argv", "env", "named"),
    [
        (["--host", "0.0.0.0"], {}, "--host 0.0.0.0"),
        (["--host", "10.1.2.3"], {}, "--host 10.1.2.3"),
        (["--host", "forge", "--bind", "0.0.0.0"], {}, "--bind 0.0.0.0"),
        ([], {"BASE_URL": "https://addon.example.com"}, "BASE_URL https://addon.example.com"),
    ],
)
def test_the_sandbox_refuses_to_be_reachable_from_elsewhere(
    tmp_path: Path, argv: list[str], env: dict[str, str], named: str
) -> None:
    """Issue 13 (11): its token-minting and reset endpoints have no authentication."""
    result = subprocess.run(
        [sys.executable, "-m", "ticketgen.cli", "sandbox", "--port", "0", "--data-dir", str(tmp_path), *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )
    assert result.returncode == 2
    assert (
        "refusing to start" in result.stderr and named in result.stderr and "Traceback" not in result.stderr
    )
    assert not (tmp_path / "sandbox.db").exists()
