"""Browser tests: headless Debian Chromium driven by Playwright against a real `ticketgen sandbox` process.

No browser is downloaded: Playwright drives the system `chromium` (installed by `make test` through
`scripts/services.sh`). Every page's console errors and uncaught exceptions fail the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sandbox.helpers import SandboxCommand, sandbox_command

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

pytestmark = pytest.mark.e2e


@pytest.fixture
def sandbox(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[SandboxCommand]:
    """`ticketgen sandbox`; a test parametrized indirectly with "connect" or "forge" picks `--host`, or with
    (host, {SANDBOX_… settings}); `@pytest.mark.sandbox_env(NAME="value", …)` adds settings of its own."""
    param = getattr(request, "param", None)
    host, env = param if isinstance(param, tuple) else (param, None)
    marker = request.node.get_closest_marker("sandbox_env")
    env = {**(env or {}), **(marker.kwargs if marker else {})}
    with sandbox_command(tmp_path / "data", host=host, env=env) as started:
        yield started


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
def page(browser: object, sandbox: SandboxCommand) -> Iterator[object]:
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
