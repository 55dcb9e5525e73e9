"""One cap on every request body, enforced while it streams in, before any endpoint reads or parses it.

A body is read before its sender is known to be who it claims (a Slack signature and a Connect install
token are checked against the body's bytes), so nobody, signed or not, may make us hold more than the cap:
a declared Content-Length over it is refused before a byte is read, and a body sent without one is cut
off at the first chunk past it. Routes with a larger allowance (the upload) name it in `larger`; their own
reader enforces the finer limits as the body streams in.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.connect.errors import ApiError, error_response

log = logging.getLogger("ticketgen.app")

MAX_BODY_BYTES = 256 * 1024  # JSON edits, settings, lifecycle payloads and Slack clicks are a few KB


class BodyTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            "body_too_large",
            f"The request body is larger than {_size(limit)}, the limit for this address.",
        )


class BodyLimit:
    """Parameters:
    app: the wrapped ASGI app (routing sees the path this middleware sees).
    max_bytes: the cap for every route not in `larger`.
    larger: (route, cap) for the routes allowed a bigger body.
    """

    def __init__(
        self, app: ASGIApp, *, max_bytes: int = MAX_BODY_BYTES, larger: Sequence[tuple[BaseRoute, int]] = ()
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = tuple(larger)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            _log_refusal(scope, f"declares {declared} bytes", limit)
            refused = BodyTooLarge(limit)
            await error_response(refused.status, refused.code, refused.message)(scope, receive, send)
            return
        received = 0

        async def capped() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    _log_refusal(scope, f"streamed more than {limit} bytes", limit)
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, capped, send)

    def _limit(self, scope: Scope) -> int:
        for route, limit in self.larger:
            if route.matches(scope)[0] is Match.FULL:
                return limit
        return self.max_bytes


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length" and value.strip().isdigit():
            return int(value)
    return None


def _log_refusal(scope: Scope, what: str, limit: int) -> None:
    log.warning("refused %s %s: the body %s (limit %d)", scope["method"], scope["path"], what, limit)


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
