"""The panel's calls to its backend as the browser makes them, whichever host frames it: straight to the app
under Connect, and under Forge through the bridge's invokeRemote (a POST to the page's …/bridge naming the
app's path and method), so one test can wait for, or refuse, the same call on both hosts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit


def _invoked(request: Any) -> dict[str, Any] | None:
    """The invokeRemote a Forge bridge request carries; None for any other request."""
    if request.method != "POST" or not urlsplit(request.url).path.endswith("/bridge"):
        return None
    try:
        call = request.post_data_json
    except ValueError:
        return None
    payload = call.get("payload") if isinstance(call, dict) and call.get("name") == "invoke" else None
    return payload if isinstance(payload, dict) else None


def calls(request: Any, method: str, path: str) -> bool:
    """The request is the panel's `method` call of an app path ending in `path`."""
    invoked = _invoked(request)
    if invoked is not None:
        sent = str(invoked.get("method") or "GET").upper()
        return sent == method and urlsplit(str(invoked.get("path") or "")).path.endswith(path)
    return request.method == method and urlsplit(request.url).path.endswith(path)


def status_of(response: Any) -> int:
    """The app's HTTP status (under Forge the bridge answers 200 and carries the app's status inside)."""
    if _invoked(response.request) is not None:
        return int(response.json()["payload"]["status"])
    return int(response.status)


@contextmanager
def refusing(page: Any, method: str, path: str, *, status: int, body: dict[str, Any]) -> Iterator[None]:
    """While open, the app's `method` call of `path` is answered `status` with `body`, as the app would."""

    def route(intercepted: Any) -> None:
        request = intercepted.request
        if not calls(request, method, path):
            intercepted.continue_()
        elif _invoked(request) is not None:
            answer = {"status": status, "headers": {"content-type": "application/json"}, "body": body}
            intercepted.fulfill(status=200, json={"success": True, "payload": answer})
        else:
            intercepted.fulfill(status=status, json=body)

    pattern = re.compile(rf"^[^?#]*(?:/bridge|{re.escape(path)})(?:[?#].*)?$")
    page.route(pattern, route)
    try:
        yield
    finally:
        page.unroute(pattern, route)
