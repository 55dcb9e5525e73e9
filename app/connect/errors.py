"""One error shape for everything the add-on answers with JSON: `{"error": {"code", "message"}}`.

Messages are written for the person using the panel or administering Jira; they never carry a
traceback, a token or a secret.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


class ApiError(Exception):
    """Parameters:
    status: HTTP status code.
    code: short machine-readable reason (snake_case).
    message: sentence a user understands.
    """

    def __init__(self, status: int, code: str, message: str, *, details: dict[str, object] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


class AuthError(ApiError):
    def __init__(self, code: str, message: str, *, status: int = 401):
        super().__init__(status, code, message)


def error_response(
    status: int, code: str, message: str, details: dict[str, object] | None = None
) -> JSONResponse:
    body: dict[str, object] = {"code": code, "message": message}
    if details:
        body.update(details)
    return JSONResponse({"error": body}, status_code=status)


async def api_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message, exc.details)
