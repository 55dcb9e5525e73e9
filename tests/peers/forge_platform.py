"""What Forge does on its side of a remote, for tests: a JWKS served over real HTTP, signed invocation tokens,
the OAuth token headers, and the lifecycle / scheduled-trigger calls.

Built from Atlassian's "Forge Remote essentials" (the FIT's claims and the example token: `iss`
`forge/invocation-token`, `aud` the app id, a 25 s life, `app.installationId` / `app.apiBaseUrl` /
`app.module` / `app.environment` / `app.installation`, `context`, `principal`) and "Calling Atlassian app
APIs from a remote" (the `x-forge-oauth-system` / `x-forge-oauth-user` headers, JWTs whose `exp` is their
expiry), independently of `app.forge`.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

FIT_ISSUER = "forge/invocation-token"
APP_ID = "ari:cloud:ecosystem::app/8db33809-1f32-48bb-8c52-5877dab48107"
OTHER_APP_ID = "ari:cloud:ecosystem::app/0c6f1b0e-6d2a-4a1f-9a53-3f6f3b7f2d11"
FIT_LIFETIME_S = 25  # as in Atlassian's example token (iat 1700175149, exp 1700175174)


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


@dataclass
class ForgeJwks:
    """Forge's signing keys: `keys` (kid → private key) are published at `url`; `hits` counts the fetches."""

    keys: dict[str, rsa.RSAPrivateKey] = field(default_factory=dict)
    hits: int = 0
    url: str = ""
    broken: bool = False  # answer 500 instead of the key set

    def document(self) -> bytes:
        return json.dumps({"keys": [public_jwk(k, kid) for kid, k in self.keys.items()]}).encode()


@contextmanager
def serve_forge_jwks(**keys: rsa.RSAPrivateKey) -> Iterator[ForgeJwks]:
    state = ForgeJwks(keys=dict(keys))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits += 1
            ok = self.path == "/.well-known/jwks.json" and not state.broken
            body = state.document() if ok else b'{"message": "no"}'
            self.send_response(200 if ok else 500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def oauth_token(*, lifetime: int = 7200, sub: str = "app-bot") -> str:
    """An opaque-to-us OAuth token as Forge sends it: a JWT whose `exp` is its expiry (signed by Atlassian
    with a key we never see; here a random one)."""
    now = int(time.time())
    claims = {"sub": sub, "iat": now, "exp": now + lifetime, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, secrets.token_bytes(32), algorithm="HS256")


@dataclass
class ForgeSite:
    """One installation of the app on one Jira site, as Forge describes it in its tokens."""

    cloud_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    installation_uuid: str = field(default_factory=lambda: str(uuid.uuid4()))
    api_base_url: str = ""  # default: Atlassian's gateway for this site
    site_url: str = field(default_factory=lambda: f"https://{uuid.uuid4().hex[:8]}.atlassian.net")

    def __post_init__(self) -> None:
        self.api_base_url = self.api_base_url or f"https://api.atlassian.com/ex/jira/{self.cloud_id}"

    @property
    def installation_id(self) -> str:
        return f"ari:cloud:ecosystem::installation/{self.installation_uuid}"

    def claims(
        self, *, module_type: str = "jira:projectPage", extension: dict[str, Any] | None = None,
        principal: str | None = "account-1", app_id: str = APP_ID, lifetime: int = FIT_LIFETIME_S,
        iat: int | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        now = int(time.time()) if iat is None else iat
        claims: dict[str, Any] = {
            "app": {
                "id": app_id,
                "version": "1",
                "appVersion": "1.0.0",
                "installationId": self.installation_id,
                "apiBaseUrl": self.api_base_url,
                "environment": {
                    "type": "PRODUCTION",
                    "id": f"ari:cloud:ecosystem::environment/{app_id.rsplit('/', 1)[1]}/{uuid.uuid4()}",
                },
                "module": {"type": module_type, "key": "ticket-generator"},
                "installation": {
                    "id": self.installation_id,
                    "contexts": [
                        {"name": f"ari:cloud:jira::site/{self.cloud_id}", "apiBaseUrl": self.api_base_url}
                    ],
                },
            },
            "aud": app_id,
            "iss": FIT_ISSUER,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "jti": secrets.token_hex(20),
        }
        if module_type != "core:endpoint":  # a UI invocation: the site and the module's context
            claims["context"] = {
                "cloudId": self.cloud_id,
                "siteUrl": self.site_url,
                "moduleKey": "ticket-generator",
                "localId": str(uuid.uuid4()),
                "extension": extension or {},
            }
            if principal is not None:
                claims["principal"] = principal
        return claims

    def project_fit(self, jwks: ForgeJwks, project_key: str, **kw: Any) -> str:
        extension = {
            "type": "jira:projectPage",
            "project": {"id": "10000", "key": project_key, "type": "software"},
        }
        return sign(jwks, self.claims(extension=extension, **kw))

    def admin_fit(self, jwks: ForgeJwks, **kw: Any) -> str:
        return sign(
            jwks, self.claims(module_type="jira:adminPage", extension={"type": "jira:adminPage"}, **kw)
        )

    def backend_fit(self, jwks: ForgeJwks, **kw: Any) -> str:
        return sign(jwks, self.claims(module_type="core:endpoint", principal=None, **kw))

    def event(self, event_type: str) -> dict[str, Any]:
        """A lifecycle event body, as documented for `avi:forge:installed:app` / `upgraded`."""
        return {
            "eventType": f"avi:forge:{event_type}:app",
            "id": self.installation_uuid,
            "installerAccountId": "account-1",
            "app": {"id": APP_ID.rsplit("/", 1)[1], "version": "1.0.0"},
            "environment": {"id": str(uuid.uuid4())},
        }


def sign(jwks: ForgeJwks, claims: dict[str, Any], *, kid: str | None = None) -> str:
    kid = kid or next(iter(jwks.keys))
    return jwt.encode(claims, jwks.keys[kid], algorithm="RS256", headers={"kid": kid})


def headers(fit: str, *, system: str | None = None, user: str | None = None) -> dict[str, str]:
    """The headers Forge adds to a remote request (trace ids, the FIT, the tokens the endpoint asks for)."""
    out = {
        "authorization": f"Bearer {fit}",
        "x-b3-traceid": secrets.token_hex(8),
        "x-b3-spanid": secrets.token_hex(8),
    }
    if system is not None:
        out["x-forge-oauth-system"] = system
    if user is not None:
        out["x-forge-oauth-user"] = user
    return out


@dataclass
class Gateway:
    """Atlassian's API gateway (`apiBaseUrl`) as far as the tests need: `GET …/rest/api/3/project/{key}`,
    answered only for a bearer token it `issued`; every request's path and Authorization are kept in `seen`."""

    issued: set[str] = field(default_factory=set)
    seen: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""


@contextmanager
def serve_api_gateway() -> Iterator[Gateway]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            auth = self.headers.get("Authorization", "")
            state.seen.append((self.path, auth))
            ok = (
                auth.startswith("Bearer ")
                and auth[7:] in state.issued
                and "/rest/api/3/project/" in self.path
            )
            body = json.dumps(
                {"id": "10000", "key": "ABC", "name": "Alpha"} if ok else {"errorMessages": ["Unauthorized"]}
            )
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
