"""Answering like Jira: status codes and `{"errorMessages": [...], "errors": {...}}` bodies; and the Forge
bridge's call payloads read back (paths, headers, a serialised FormData)."""

from __future__ import annotations

import base64
import json
import re
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


# --- the Forge bridge's calls (forge_bridge.py) ----------------------------------------------------------
_DATA_URL = re.compile(r"^data:([^;,]*)(;base64)?,(.*)$", re.DOTALL)
_NOT_FORWARDED = {"authorization", "host", "content-length", "content-type", "cookie"}


def remote_path(value: object) -> str:
    """A path on the remote: absolute, no scheme or host (Forge joins it to the remote's baseUrl)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        raise ValueError("a remote call's path must start with a single /")
    return value


def forwarded_headers(headers: object) -> dict[str, str]:
    if not isinstance(headers, dict):
        return {}
    return {str(k).lower(): str(v) for k, v in headers.items() if str(k).lower() not in _NOT_FORWARDED}


def bridge_form(fields: dict[str, Any]) -> tuple[dict[str, str], list[tuple[str, tuple[str, bytes, str]]]]:
    """The bridge's serialised FormData back to multipart fields and files."""
    data: dict[str, str] = {}
    files: list[tuple[str, tuple[str, bytes, str]]] = []
    for name, value in fields.items():
        if name.startswith("__"):
            continue
        if f"__{name}Name" in fields and isinstance(value, str):
            match = _DATA_URL.match(value)
            if match is None:
                raise ValueError(f"the form file {name!r} is not a data URL")
            kind, encoded, payload = match.groups()
            content = base64.b64decode(payload) if encoded else payload.encode()
            files.append((name, (str(fields[f"__{name}Name"]), content, kind or "application/octet-stream")))
        else:
            data[name] = str(value)
    return data, files
