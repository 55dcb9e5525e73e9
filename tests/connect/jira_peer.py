"""What Jira does on its side of Connect, for tests: an install-keys server, signed installs, page JWTs.

Tokens are built here independently of `app.connect` except for the canonical QSH, which is checked
against the `atlassian-jwt` oracle in `test_qsh.py`; the oracle itself computes the QSH used here.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from atlassian_jwt.url_utils import hash_url
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.connect.permissions import ADMINISTER, EXPORT_PERMISSIONS, UserGrants
from app.jira import JiraError
from app.jira.existing import ExistingIssue
from app.store.records import Tenant

APP_KEY = "drupal-ticket-generator"


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@dataclass
class KeyServer:
    """A real HTTP install-keys service on 127.0.0.1 (ephemeral port): GET /<kid> → PEM."""

    keys: dict[str, bytes] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    url: str = ""


@contextmanager
def serve_install_keys() -> Iterator[KeyServer]:
    state = KeyServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            kid = self.path.lstrip("/")
            state.hits.append(kid)
            pem = state.keys.get(kid)
            self.send_response(200 if pem else 404)
            self.send_header("Content-Type", "application/x-pem-file")
            self.end_headers()
            self.wfile.write(pem or b"not found")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class JiraSite:
    """One Jira site (tenant) as Jira sees it."""

    client_key: str = field(default_factory=lambda: f"site-{uuid.uuid4()}")
    shared_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    base_url: str = field(default_factory=lambda: f"https://{uuid.uuid4().hex[:8]}.atlassian.net")

    def install_body(self, **changes: Any) -> dict[str, Any]:
        body = {
            "key": APP_KEY,
            "clientKey": self.client_key,
            "sharedSecret": self.shared_secret,
            "baseUrl": self.base_url,
            "displayUrl": self.base_url,
            "productType": "jira",
            "description": "Atlassian JIRA at " + self.base_url,
            "eventType": "installed",
            "oauthClientId": "oauth-" + self.client_key,
        }
        body.update(changes)
        return body

    def token(
        self,
        method: str,
        url: str,
        *,
        qsh: str | None = None,
        sub: str = "user-1",
        context: dict[str, Any] | None = None,
        secret: str | None = None,
        iss: str | None = None,
        lifetime: int = 180,
        algorithm: str = "HS256",
        drop: tuple[str, ...] = (),
    ) -> str:
        """An HS256 token as Jira signs it for a request to the app (`url` relative to the app's baseUrl)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": iss or self.client_key,
            "sub": sub,
            "iat": now,
            "exp": now + lifetime,
            "qsh": qsh if qsh is not None else hash_url(method, url),
            "context": context or {},
        }
        for name in drop:
            claims.pop(name, None)
        return jwt.encode(claims, secret or self.shared_secret, algorithm=algorithm)

    def context_token(self, project_key: str, **kw: Any) -> str:
        context = {"jira": {"project": {"key": project_key, "id": "10000"}}}
        return self.token("GET", "/", qsh="context-qsh", context=context, **kw)


EVERYTHING = UserGrants(
    global_permissions=frozenset({ADMINISTER}), project_permissions=frozenset(EXPORT_PERMISSIONS)
)
NOTHING = UserGrants()


@dataclass
class PermissionsPeer:
    """Jira's answers to `POST /permissions/check`, as the app's `PermissionSource` sees them: each account
    holds `everyone` unless `accounts` names it; every question asked is kept in `asked`. `project_ids` are
    the site's projects as `GET /project/{key}` would give them."""

    everyone: UserGrants = EVERYTHING
    accounts: dict[str, UserGrants] = field(default_factory=dict)
    asked: list[tuple[str, str, str]] = field(default_factory=list)  # (client key, account, project)
    project_ids: dict[str, str] = field(default_factory=lambda: {"ABC": "10000", "UWEC": "10001"})

    async def grants(self, tenant: Tenant, *, account_id: str, project_key: str) -> UserGrants:
        self.asked.append((tenant.client_key, account_id, project_key))
        found = self.accounts.get(account_id, self.everyone)
        return found if project_key else UserGrants(global_permissions=found.global_permissions)

    async def project_id(self, tenant: Tenant, project_key: str) -> str:
        return self.project_ids.get(project_key, "0")

    async def names(self, tenant: Tenant, people: Iterable[str | None]) -> dict[str, str]:
        """`GET /user?accountId=` as `JiraUserNames` reads it: every account is called after its id's tail."""
        return {p: f"Jira user {p.rsplit(':', 1)[-1][:8]}" for p in people if p and p != "system"}


@dataclass
class ExistingPeer:
    """The project's issues of earlier batches as the app's `ExistingLookup` would find them by their
    issue property: `issues` maps draft key -> issue key (empty: a project the app never exported to);
    `down` makes Jira unreachable; every lookup is kept in `asked` (client key, project, batch id)."""

    issues: dict[str, str] = field(default_factory=dict)
    down: bool = False
    asked: list[tuple[str, str, str]] = field(default_factory=list)

    async def find(
        self, tenant: Tenant, *, project_key: str, batch_id: str, draft_keys: Sequence[str],
        known: Mapping[str, Sequence[str]] | None = None,
    ) -> dict[str, ExistingIssue]:  # fmt: skip
        self.asked.append((tenant.client_key, project_key, batch_id))
        if self.down:
            raise JiraError("temporary", 503, "Service Unavailable")
        wanted = set(draft_keys)
        return {
            key: ExistingIssue(key, issue_key, str(10_000 + n), "an-earlier-batch", f"Summary of {key}")
            for n, (key, issue_key) in enumerate(self.issues.items())
            if key in wanted
        }


def install_token(
    private_key: rsa.RSAPrivateKey,
    *,
    kid: str,
    aud: str,
    iss: str,
    path: str = "/lifecycle/installed",
    lifetime: int = 180,
    iat: int | None = None,
    qsh: str | None = None,
    algorithm: str = "RS256",
    drop: tuple[str, ...] = (),
) -> str:
    now = int(time.time()) if iat is None else iat
    claims = {
        "iss": iss,
        "aud": aud,
        "iat": now,
        "exp": now + lifetime,
        "qsh": qsh if qsh is not None else hash_url("POST", path),
        "sub": "system-account",
        "jti": uuid.uuid4().hex,  # Jira signs each callback afresh
    }
    for name in drop:
        claims.pop(name, None)
    return jwt.encode(claims, private_key, algorithm=algorithm, headers={"kid": kid})
