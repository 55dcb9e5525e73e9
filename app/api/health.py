"""`GET /healthz`: can we reach the database (and the broker, when one is configured)?"""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

_TIMEOUT_S = 3.0


async def _database(request: Request) -> str:
    async with request.app.state.store.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    return "ok"


async def _broker(request: Request) -> str:
    url = request.app.state.config.redis_url
    if not url:
        return "not configured"
    import redis.asyncio as redis

    client = redis.from_url(url, socket_connect_timeout=_TIMEOUT_S)
    try:
        await client.ping()
    finally:
        await client.aclose()
    return "ok"


async def healthz(request: Request) -> JSONResponse:
    checks: dict[str, str] = {}
    for name, check in (("database", _database), ("broker", _broker)):
        try:
            checks[name] = await asyncio.wait_for(check(request), _TIMEOUT_S)
        except Exception as exc:  # a health check reports, it does not raise
            checks[name] = f"unavailable ({type(exc).__name__})"
    healthy = all(v in ("ok", "not configured") for v in checks.values())
    return JSONResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status_code=200 if healthy else 503
    )
