"""Forge's public signing keys (a JWKS), fetched from a configurable URL and kept in memory.

Atlassian publishes the keys that sign Forge Invocation Tokens at
`https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json` ("Verifying remote requests",
https://developer.atlassian.com/platform/forge/remote/essentials/#verifying-remote-requests). The URL is a
setting so the sandbox can serve its own keys.

Rotation: a token naming a `kid` the cache lacks makes one refetch, and the next such refetch waits
`refetch_interval_s`; the `kid` comes from an unverified header, so without that limit anyone could make the
app fetch the JWKS once per request. A failed fetch keeps the keys already known (an outage of the CDN must
not lock out tokens signed by a key we hold) and is not cached.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable

import httpx
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.algorithms import RSAAlgorithm

from app.connect.errors import ApiError, AuthError

_KID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,200}$")
_MAX_JWKS_BYTES = 262_144


def keys_unavailable(why: str) -> ApiError:
    """Our side cannot check any token right now: not the caller's fault, so not a 401."""
    return ApiError(
        503, "forge_keys_unavailable", f"Could not fetch Forge's signing keys ({why}); try again."
    )


class ForgeKeys:
    """Parameters:
    url: the JWKS document's URL.
    ttl_s: how long a fetched set is trusted before a token makes it fetch again.
    refetch_interval_s: the least time between two fetches caused by an unknown `kid`.
    timeout_s: seconds for one fetch.
    clock: monotonic seconds (tests move it).
    """

    def __init__(
        self, *, url: str, ttl_s: float = 3600.0, refetch_interval_s: float = 30.0, timeout_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:  # fmt: skip
        self.url = url
        self.ttl_s = ttl_s
        self.refetch_interval_s = refetch_interval_s
        self.timeout_s = timeout_s
        self._clock = clock
        self._keys: dict[str, RSAPublicKey] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        self.fetches = 0  # how many times the JWKS was asked for (observable in tests)

    async def get(self, kid: str) -> RSAPublicKey:
        if not _KID.match(kid):
            raise AuthError("invalid_kid", "The Forge invocation token names a key id that is not valid.")
        if self._fresh() and kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if not self._fresh():
                await self._refresh(required=kid not in self._keys)
            elif kid not in self._keys and self._may_refetch():
                await self._refresh(required=False)
        key = self._keys.get(kid)
        if key is None:
            raise AuthError(
                "unknown_kid", "The Forge invocation token is signed by a key Forge does not publish."
            )
        return key

    def _fresh(self) -> bool:
        return self._fetched_at is not None and self._clock() - self._fetched_at < self.ttl_s

    def _may_refetch(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at >= self.refetch_interval_s

    async def _refresh(self, *, required: bool) -> None:
        """`required`: no key we hold can serve this token, so a failed fetch is the answer."""
        self.fetches += 1
        try:
            keys = await self._fetch()
        except ApiError:
            if required and not self._keys:
                raise
            return
        self._keys = keys
        self._fetched_at = self._clock()

    async def _fetch(self) -> dict[str, RSAPublicKey]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s, follow_redirects=False) as client:
                response = await client.get(self.url)
        except httpx.HTTPError as exc:
            raise keys_unavailable(type(exc).__name__) from exc
        if response.status_code != 200 or len(response.content) > _MAX_JWKS_BYTES:
            raise keys_unavailable(f"HTTP {response.status_code}")
        try:
            document = json.loads(response.content)
        except ValueError as exc:
            raise keys_unavailable("not JSON") from exc
        entries = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise keys_unavailable("no key list")
        return dict(_rsa_signing_keys(entries))


def _rsa_signing_keys(entries: list[object]) -> list[tuple[str, RSAPublicKey]]:
    """The RS256 signing keys of a JWKS; an entry for anything else (encryption, EC, HS) is skipped."""
    keys = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA":
            continue
        kid = entry.get("kid")
        if not isinstance(kid, str) or not _KID.match(kid):
            continue
        if entry.get("use", "sig") != "sig" or entry.get("alg", "RS256") != "RS256":
            continue
        try:
            key = RSAAlgorithm.from_jwk(entry)
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(key, RSAPublicKey):
            keys.append((kid, key))
    return keys
