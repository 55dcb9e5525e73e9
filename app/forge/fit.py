"""The Forge Invocation Token (FIT): the proof, on every request Forge sends to our remote, of where it came from.

Built against Atlassian's "Forge Remote essentials"
(https://developer.atlassian.com/platform/forge/remote/essentials/): the FIT comes as `Authorization: Bearer`,
is an RS256 JWT signed by a key of Forge's JWKS, has `iss` = `forge/invocation-token` and `aud` = the app id
(`ari:cloud:ecosystem::app/<uuid>`, the manifest's `app.id`), and short `iat`/`nbf`/`exp` (25 s in the
documented example). Its `app` claim names the installation (`app.installationId`, the key for remote storage),
the API base URL for Jira calls (`app.apiBaseUrl`), the environment and the module that invoked us; `context`
(UI invocations only) names the site (`cloudId`, `siteUrl`) and the extension (for a Jira project page, its
project); `principal` is the user's account id (UI modules only).

Request binding: unlike Connect's `qsh`, the docs define none for a FIT (no method, path or body claim), and
`jti` comes with no replay rule. So this module binds what the token does carry: the audience (our app), the
installation, and, per route, the module kind and the extension's project (see `app.forge.host`); its life is
only seconds.

The order of checks matters: the header's `alg` is checked before any key is looked up, the key is chosen by
`kid` from Forge's published set only, and no claim is read before the signature is verified.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt

from app.connect.errors import AuthError
from app.forge.jwks import ForgeKeys

FIT_ISSUER = "forge/invocation-token"
ALGORITHM = "RS256"
LEEWAY_SECONDS = 5
APP_ID = re.compile(r"^ari:cloud:ecosystem::app/[0-9a-fA-F-]{36}$")
_INSTALLATION_ID = re.compile(r"^ari:cloud:ecosystem::installation/[0-9a-fA-F-]{36}$")
_CLOUD_ID = re.compile(r"^[0-9a-fA-F-]{36}$")
_ERRORS: list[tuple[type[Exception], str, str]] = [
    (jwt.ExpiredSignatureError, "token_expired", "The Forge invocation token has expired."),
    (jwt.ImmatureSignatureError, "token_not_yet_valid", "The Forge invocation token is not valid yet."),
    (jwt.InvalidAudienceError, "wrong_audience", "The Forge invocation token is meant for another app."),
    (jwt.InvalidIssuerError, "wrong_issuer", "The token was not issued by Forge."),
    (jwt.MissingRequiredClaimError, "missing_claim", "The Forge invocation token lacks a required claim."),
    (jwt.InvalidSignatureError, "bad_signature", "The Forge invocation token's signature is not valid."),
]


def bearer(authorization: str) -> str | None:
    return authorization[7:].strip() or None if authorization[:7].lower() == "bearer " else None


def looks_like_fit(token: str) -> bool:
    """Whether a bearer token claims to be a FIT (its payload alone, unverified: only to pick who verifies
    it, so a FIT with a broken header or signature still meets the FIT checks and their error codes)."""
    parts = token.split(".")
    if len(parts) != 3 or len(parts[1]) > 65_536:
        return False
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, TypeError):
        return False
    return isinstance(claims, dict) and claims.get("iss") == FIT_ISSUER


@dataclass(frozen=True, slots=True)
class Invocation:
    """A verified FIT, reduced to what the app uses."""

    app_id: str
    installation_id: str
    api_base_url: str
    module_type: str
    environment_id: str
    cloud_id: str | None
    site_url: str | None
    principal: str | None
    extension_type: str | None
    project_key: str | None
    project_id: str | None
    project_type: str | None  # Jira's projectTypeKey: software, business or service_desk
    claims: dict[str, Any]


class FitVerifier:
    """Parameters:
    app_id: our Forge app id, `ari:cloud:ecosystem::app/<uuid>`; the only audience accepted.
    keys: Forge's signing keys (Atlassian's JWKS, or the sandbox's in sandbox mode).
    leeway_s: clock skew tolerated on `exp`, `nbf` and `iat`.
    allow_http_api: accept an `http://` apiBaseUrl on a loopback host (the sandbox; tests).
    environments: the Forge environment ids (`app.environment.id`) this backend serves; empty: any. Every
        environment of an app shares its id, hence the `aud`: this keeps a development install's calls away
        from the production backend.
    """

    def __init__(
        self, *, app_id: str, keys: ForgeKeys, leeway_s: int = LEEWAY_SECONDS, allow_http_api: bool = False,
        environments: tuple[str, ...] = (),
    ) -> None:  # fmt: skip
        if not APP_ID.match(app_id):
            raise ValueError("the Forge app id must look like ari:cloud:ecosystem::app/<uuid>")
        self.app_id = app_id
        self.keys = keys
        self.leeway_s = leeway_s
        self.allow_http_api = allow_http_api
        self.environments = frozenset(environments)

    async def verify(self, token: str) -> Invocation:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthError("malformed_token", "The Forge invocation token is not a valid JWT.") from exc
        if header.get("alg") != ALGORITHM:
            raise AuthError("wrong_algorithm", "Forge invocation tokens must be signed with RS256.")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthError("missing_kid", "The Forge invocation token does not name its signing key.")
        key = await self.keys.get(kid)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.app_id,
                issuer=FIT_ISSUER,
                leeway=self.leeway_s,
                options={"require": ["iss", "aud", "exp", "iat"], "strict_aud": True},
            )
        except jwt.PyJWTError as exc:
            for kind, code, message in _ERRORS:
                if isinstance(exc, kind):
                    raise AuthError(code, message) from exc
            raise AuthError("invalid_token", "The Forge invocation token is not valid.") from exc
        return self._invocation(claims)

    def _invocation(self, claims: dict[str, Any]) -> Invocation:
        app = _object(claims.get("app"), "app")
        if app.get("id") != self.app_id:
            raise AuthError("wrong_audience", "The Forge invocation token names another app.")
        installation_id = app.get("installationId")
        if not isinstance(installation_id, str) or not _INSTALLATION_ID.match(installation_id):
            raise AuthError("invalid_claim", "The Forge invocation token names no valid installation.")
        module = _object(app.get("module"), "app.module")
        environment = _object(app.get("environment"), "app.environment")
        if self.environments and environment.get("id") not in self.environments:
            raise AuthError(
                "wrong_environment", "The Forge invocation token is for another environment of the app."
            )
        context = claims.get("context") if isinstance(claims.get("context"), dict) else {}
        extension = context.get("extension") if isinstance(context.get("extension"), dict) else {}
        project = extension.get("project") if isinstance(extension.get("project"), dict) else {}
        principal = claims.get("principal")
        cloud_id = context.get("cloudId")
        return Invocation(
            app_id=self.app_id,
            installation_id=installation_id,
            api_base_url=self._api_base_url(app.get("apiBaseUrl")),
            module_type=_text(module.get("type")) or "",
            environment_id=_text(environment.get("id")) or "",
            cloud_id=cloud_id if isinstance(cloud_id, str) and _CLOUD_ID.match(cloud_id) else None,
            site_url=self._site_url(context.get("siteUrl")),
            principal=_text(principal),
            extension_type=_text(extension.get("type")),
            project_key=_text(project.get("key")),
            project_id=str(project["id"]) if str(project.get("id", "")).isdigit() else None,
            project_type=_text(project.get("type")),
            claims=claims,
        )

    def _api_base_url(self, value: object) -> str:
        if not isinstance(value, str) or not self._url_ok(value):
            raise AuthError("invalid_claim", "The Forge invocation token carries no valid API base URL.")
        return value.rstrip("/")

    def _site_url(self, value: object) -> str | None:
        return value.rstrip("/") if isinstance(value, str) and self._url_ok(value) else None

    def _url_ok(self, value: str) -> bool:
        """https with a host and nothing else; http only on a loopback host, and only when allowed."""
        parts = urlsplit(value)
        if not parts.hostname or parts.username or parts.password or parts.query or parts.fragment:
            return False
        if parts.scheme == "https":
            return True
        return self.allow_http_api and parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")


def cloud_id_of(invocation: Invocation) -> str | None:
    """The site: `context.cloudId` when Forge sends a context, else the last segment of the API base URL
    (`…/ex/jira/<cloudId>`), the only place a lifecycle event or scheduled trigger names it."""
    if invocation.cloud_id:
        return invocation.cloud_id
    last = urlsplit(invocation.api_base_url).path.rstrip("/").rsplit("/", 1)[-1]
    return last if _CLOUD_ID.match(last) else None


def _object(value: object, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise AuthError("invalid_claim", f"The Forge invocation token lacks its `{name}` claim.")
    return value


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
