"""Browser tests: headless Debian Chromium driven by Playwright against a real `ticketgen sandbox` process.

No browser is downloaded: Playwright drives the system `chromium` (installed by `make test` through
`scripts/services.sh`). Every page's console errors and uncaught exceptions fail the test.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
URL_LINE = re.compile(r"Sandbox Jira project: (http://\S+)/sandbox/projects/(\w+)")

pytestmark = pytest.mark.e2e


@dataclass
class SandboxProcess:
    base_url: str
    project_key: str
    data_dir: Path
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    @property
    def project_url(self) -> str:
        return f"{self.base_url}/sandbox/projects/{self.project_key}"

    @property
    def issues_url(self) -> str:
        return f"{self.project_url}/issues"

    def configure_url(self) -> str:
        """The configure page as Jira's "Manage apps → Configure" opens it: a URL signed with the install's
        shared secret (read from the sandbox site's own records)."""
        from app.connect.qsh import url_hash
        from app.sandbox.store import SandboxStore

        store = SandboxStore(self.data_dir / "sandbox.db")
        try:
            installation = store.installation("drupal-ticket-generator")
        finally:
            store.close()
        assert installation is not None, "the sandbox did not install the add-on"
        url = f"{installation.app_base_url}/configure?" + urlencode(
            {"xdm_e": self.base_url, "cp": "/sandbox", "lic": "none"}
        )
        now = int(time.time())
        claims = {
            "iss": installation.client_key,
            "sub": "sandbox-admin",
            "iat": now,
            "exp": now + 180,
            "qsh": url_hash("GET", url, base_path=urlsplit(installation.app_base_url).path),
            "context": {},
        }
        return f"{url}&jwt={jwt.encode(claims, installation.shared_secret, algorithm='HS256')}"


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxProcess]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BASE_URL", "DATABASE_URL", "REDIS_URL", "SECRET_KEY")
    }
    data_dir = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-m", "ticketgen.cli", "sandbox", "--port", "0", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
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

    threading.Thread(target=read, daemon=True).start()
    try:
        assert found.wait(90), f"ticketgen sandbox printed no project URL: {''.join(lines)}"
        match = next(m for m in map(URL_LINE.search, lines) if m)
        yield SandboxProcess(match.group(1), match.group(2), data_dir, process, lines)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Module-scoped: Playwright's sync API keeps an event loop running while it is open, which would break
    later tests (in other modules) that call `asyncio.run`."""
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        pytest.fail(
            f"Chromium is missing ({CHROMIUM}). Install it with `sudo apt-get install -y chromium` "
            "(`make test` does this through scripts/services.sh), or set CHROMIUM to its path."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
        try:
            yield browser
        finally:
            browser.close()


class Problems(list[str]):
    """Console errors, uncaught page errors and failed requests seen on a page.

    Chromium logs every 4xx answer as a console error; a refusal the test provokes on purpose is declared
    with `expect_refusal(status, path)` and asserted by the test itself.
    """

    def __init__(self) -> None:
        super().__init__()
        self.expected: list[tuple[int, str]] = []

    def expect_refusal(self, status: int, path: str) -> None:
        self.expected.append((status, path))

    def console(self, message: Any) -> None:
        if message.type != "error":
            return
        url = str((message.location or {}).get("url", ""))
        for status, path in self.expected:
            if f"status of {status}" in message.text and url.endswith(path):
                return
        self.append(f"console: {message.text} ({url})")


@pytest.fixture
def page(browser: object, sandbox: SandboxProcess) -> Iterator[object]:
    """A browser tab; it closes before the sandbox stops (else its polling would hit a dead server)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    problems = Problems()
    page.on("console", problems.console)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.on(
        "response",
        lambda r: r.status >= 500 and problems.append(f"HTTP {r.status} {r.request.method} {r.url}"),
    )
    page.problems = problems  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()
    assert list(problems) == [], "the browser reported errors:\n" + "\n".join(problems)


def shot(page: object, name: str, *, show: Any = None, frame: Any = None) -> Path:
    """Save what the user sees; `show` (a locator) is scrolled into view first, and the panel's passing
    notifications (in `frame`) are dismissed as a person would, so they hide nothing."""
    if frame is not None:
        frame.evaluate("document.querySelectorAll('#flags button').forEach(b => b.click())")
    if show is not None:
        show.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)  # type: ignore[attr-defined]
    return path
