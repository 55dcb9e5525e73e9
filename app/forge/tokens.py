"""The OAuth tokens Forge sends with an invocation, for calling Jira from the remote.

Per "Calling Atlassian app APIs from a remote" (https://developer.atlassian.com/platform/forge/remote/calling-product-apis/):
`x-forge-oauth-system` carries the app system token (the app's bot user; for background work) and
`x-forge-oauth-user` the user's token (Jira applies that person's permissions); each is sent only when the
manifest's endpoint asks for it. Both are JWTs whose `exp` is their expiry, and otherwise opaque: we read `exp`
only (unverified: Jira verifies the token, we only decide when to stop offering it) and nothing else.
A scheduled trigger's system token lives at least 2 hours, so an hourly trigger keeps one valid.
Tokens never reach a log, a URL or an error message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from starlette.requests import HTTPConnection

SYSTEM_HEADER = "x-forge-oauth-system"
USER_HEADER = "x-forge-oauth-user"
_MAX_TOKEN_CHARS = 16_384


@dataclass(frozen=True, slots=True)
class ForgeToken:
    value: str
    expires_at: datetime

    def __repr__(self) -> str:  # never show the token
        return f"ForgeToken(expires_at={self.expires_at.isoformat()})"

    def valid_at(self, when: datetime) -> bool:
        return self.expires_at > when


def read_token(request: HTTPConnection, header: str) -> ForgeToken | None:
    """The token in `header`, if it is a JWT with a numeric `exp` still in the future; else None (a token we
    cannot date is never kept: it could not be retired before it expires)."""
    value = request.headers.get(header, "").strip()
    if not value or len(value) > _MAX_TOKEN_CHARS:
        return None
    try:
        claims = jwt.decode(value, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        return None
    token = ForgeToken(value=value, expires_at=datetime.fromtimestamp(exp, UTC))
    return token if token.valid_at(datetime.now(UTC)) else None
