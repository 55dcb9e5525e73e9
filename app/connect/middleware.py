"""ASGI pieces that sit in front of routing."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class StripBasePath:
    """Serve the app both behind a proxy that strips the baseUrl path prefix and one that does not.

    Only `path` (used for routing) changes; `raw_path` stays as the client sent it, because the QSH is
    computed from it (with the prefix removed by the canonicaliser itself).

    Parameters:
    app: the wrapped ASGI app.
    prefix: the baseUrl's path, e.g. `/addon` ("" or "/" = nothing to strip).
    """

    def __init__(self, app: ASGIApp, *, prefix: str) -> None:
        self.app = app
        self.prefix = prefix.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.prefix and scope["type"] in ("http", "websocket"):
            path: str = scope["path"]
            if path == self.prefix or path.startswith(self.prefix + "/"):
                scope = dict(scope, path=path[len(self.prefix) :] or "/")
        await self.app(scope, receive, send)
