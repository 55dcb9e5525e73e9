"""Answering like Jira: status codes and `{"errorMessages": [...], "errors": {...}}` bodies."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from functools import wraps
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


class JiraProblem(Exception):
    def __init__(
        self,
        status: int,
        *messages: str,
        errors: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__("; ".join(messages) or json.dumps(dict(errors or {})))
        self.status = status
        self.messages = list(messages)
        self.errors = dict(errors or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return {"errorMessages": self.messages, "errors": self.errors}


Endpoint = Callable[..., Awaitable[Response]]


def answers_like_jira(endpoint: Endpoint) -> Endpoint:
    @wraps(endpoint)
    async def wrapper(*args: Any) -> Response:
        try:
            return await endpoint(*args)
        except JiraProblem as problem:
            return JSONResponse(problem.body(), status_code=problem.status, headers=problem.headers)

    return wrapper


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        raise JiraProblem(400, "No content to map due to end-of-input")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise JiraProblem(400, f"Unexpected character in the request body: {exc}") from exc


def route_path(scope: Mapping[str, Any]) -> str:
    """The path below the mount point (Starlette keeps the full path and records the mount in root_path)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] or "/" if root and path.startswith(root) else path
