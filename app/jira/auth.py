"""App-to-Jira authentication: Connect mints an HS256 JWT for each prepared request; Forge sends a bearer token."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

import jwt
from requests import PreparedRequest
from requests.auth import AuthBase

from app.connect.qsh import url_hash

TOKEN_TTL_S = 180


class ConnectJwtAuth(AuthBase):
    """Signs each request as it leaves the session, so the `qsh` always matches the final URL (query
    parameters added by `atlassian-python-api` included) and a retried request never reuses an old token.

    Parameters:
    app_key: our descriptor `key`; Jira knows the app by it (`iss`).
    shared_secret: the tenant's secret from its `installed` callback.
    base_url: the tenant's baseUrl; its path is Jira's context path, which the `qsh` path excludes.
    ttl_s: token lifetime (Atlassian recommends about 3 minutes).
    clock: seconds since the epoch (injectable for tests of expiry).
    """

    def __init__(
        self,
        *,
        app_key: str,
        shared_secret: str,
        base_url: str,
        ttl_s: int = TOKEN_TTL_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app_key = app_key
        self._secret = shared_secret
        self._context_path = urlsplit(base_url).path
        self.ttl_s = ttl_s
        self._clock = clock

    def token(self, method: str, url: str) -> str:
        now = int(self._clock())
        claims = {
            "iss": self.app_key,
            "iat": now,
            "exp": now + self.ttl_s,
            "qsh": url_hash(method, url, base_path=self._context_path),
        }
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = f"JWT {self.token(request.method or 'GET', request.url or '/')}"
        return request

    def __repr__(self) -> str:  # never show the secret
        return f"ConnectJwtAuth(app_key={self.app_key!r})"


class BearerAuth(AuthBase):
    """Forge: the app system token or the user's token, as `Authorization: Bearer` on each request
    (https://developer.atlassian.com/platform/forge/remote/calling-product-apis/).

    Parameters:
    token: the OAuth token Forge sent with an invocation.
    """

    def __init__(self, *, token: str) -> None:
        self._token = token

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:  # never show the token
        return "BearerAuth()"
