"""Short-lived session tokens a page hands to its own AJAX calls.

A page load is authenticated by Jira's URL-bound JWT; the page then needs a credential for the JSON
API that is bound to the same tenant, user and project and cannot be used elsewhere. It is an HS256
JWT signed with a key derived from `Config.secret_key` (never the raw key), with its own audience so it
can never be confused with a Jira token. It carries the tenant's install generation: a token minted before
an uninstall is refused after the re-install, as an expired one is.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Literal

import jwt

from app.connect.errors import AuthError

AUDIENCE = "ticketgen-session"
SESSION_SECONDS = 15 * 60
Scope = Literal["project", "admin"]


def session_expired() -> AuthError:
    return AuthError("session_expired", "Your session has expired; reload the page.")


@dataclass(frozen=True, slots=True)
class Session:
    client_key: str
    account_id: str
    project_key: str  # "" for admin sessions (configure page)
    scope: Scope
    expires_at: int
    install_generation: int


class SessionTokens:
    """Parameters:
    secret_key: the add-on's secret (`Config.secret_key`); the signing key is derived from it.
    lifetime: seconds a token stays valid.
    """

    def __init__(self, *, secret_key: str, lifetime: int = SESSION_SECONDS):
        if not secret_key:
            raise ValueError("secret_key is required to sign session tokens")
        self._key = hmac.new(secret_key.encode(), b"ticketgen session tokens v1", hashlib.sha256).digest()
        self.lifetime = lifetime

    def mint(
        self, *, client_key: str, install_generation: int, account_id: str, project_key: str = "",
        scope: Scope = "project",
    ) -> str:  # fmt: skip
        now = int(time.time())
        claims = {
            "aud": AUDIENCE,
            "tnt": client_key,
            "gen": install_generation,
            "sub": account_id,
            "prj": project_key,
            "scp": scope,
            "iat": now,
            "exp": now + self.lifetime,
            "jti": secrets.token_urlsafe(12),
        }
        return jwt.encode(claims, self._key, algorithm="HS256")

    def verify(self, token: str) -> Session:
        try:
            if jwt.get_unverified_header(token).get("alg") != "HS256":
                raise AuthError("wrong_algorithm", "Session tokens must be signed with HS256.")
            claims = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                audience=AUDIENCE,
                options={"require": ["aud", "tnt", "gen", "sub", "prj", "scp", "exp"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise session_expired() from exc
        except jwt.PyJWTError as exc:
            raise AuthError("invalid_session", "The session token is not valid; reload the page.") from exc
        scope, generation = claims["scp"], claims["gen"]
        if scope not in ("project", "admin") or not isinstance(generation, int):
            raise AuthError("invalid_session", "The session token is not valid; reload the page.")
        return Session(
            client_key=str(claims["tnt"]),
            account_id=str(claims["sub"]),
            project_key=str(claims["prj"]),
            scope=scope,
            expires_at=int(claims["exp"]),
            install_generation=generation,
        )
