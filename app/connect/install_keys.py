"""Public keys for signed-install callbacks, fetched by `kid` from the install-keys service and cached.

Atlassian's service (`https://connect-install-keys.atlassian.com/<kid>`) answers a PEM public key; the
URL is a setting so tests and the sandbox serve their own keys. Keys never change for a `kid`, so a
fetched key is cached for a long time; failures are not cached (a transient outage must not lock
installs out).
"""

from __future__ import annotations

import asyncio
import re
import time

import httpx
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from app.connect.errors import AuthError

_KID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
_MAX_PEM_BYTES = 16_384


class InstallKeys:
    """Parameters:
    url: base URL of the install-keys service (the key is at `<url>/<kid>`).
    ttl: seconds a fetched key stays cached.
    timeout: seconds for one fetch.
    """

    def __init__(self, *, url: str, ttl: float = 24 * 3600, timeout: float = 5.0):
        self.url = url.rstrip("/")
        self.ttl = ttl
        self.timeout = timeout
        self._cache: dict[str, tuple[float, RSAPublicKey]] = {}
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> RSAPublicKey:
        if not _KID.match(kid):
            raise AuthError("invalid_kid", "The install token names a key id that is not valid.")
        cached = self._cache.get(kid)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        async with self._lock:
            cached = self._cache.get(kid)
            if cached and cached[0] > time.monotonic():
                return cached[1]
            key = await self._fetch(kid)
            self._cache[kid] = (time.monotonic() + self.ttl, key)
            return key

    async def _fetch(self, kid: str) -> RSAPublicKey:
        try:
            async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
                response = await client.get(f"{self.url}/{kid}")
        except httpx.HTTPError as exc:
            raise AuthError(
                "install_keys_unreachable",
                f"Could not fetch the install key '{kid}' to verify the install ({type(exc).__name__}); "
                "try installing again.",
            ) from exc
        if response.status_code == 404:
            raise AuthError("unknown_kid", f"The install key '{kid}' is not published by the key service.")
        if response.status_code != 200 or len(response.content) > _MAX_PEM_BYTES:
            raise AuthError(
                "install_keys_unavailable",
                f"The install-keys service answered {response.status_code} for key '{kid}'; try again.",
            )
        try:
            key = load_pem_public_key(response.content)
        except ValueError as exc:
            raise AuthError(
                "invalid_install_key", f"The install key '{kid}' is not a PEM public key."
            ) from exc
        if not isinstance(key, RSAPublicKey):
            raise AuthError("invalid_install_key", f"The install key '{kid}' is not an RSA key.")
        return key
