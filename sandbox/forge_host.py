"""The Forge host side of the sandbox (one module per Atlassian host): what Forge does for an installed app
whose backend is a remote (Forge Remote), built from Atlassian's "Forge Remote essentials", "Calling Atlassian
app APIs from a remote" and "Sending Atlassian app and lifecycle events to a remote":

- its own RSA key set, published at `/sandbox/forge/jwks.json`; in sandbox mode the backend trusts it
  (`ticketgen sandbox --host forge` sets FORGE_APP_ID and FORGE_JWKS_URL, nowhere else);
- Forge Invocation Tokens (FITs) signed with it: `iss` `forge/invocation-token`, `aud` and `app.id` the
  sandbox's app id, a 25 s life, `app.installationId` / `apiBaseUrl` / `module` / `environment`; a UI
  invocation adds `context` (site, extension: a `jira:projectPage` with its project, or `jira:adminPage`) and
  `principal`;
- the lifecycle events (installed at start, uninstalled on request) and the scheduled trigger, posted to the
  endpoints the manifest routes them to, with the tokens the endpoint's `auth` asks for;
- the Custom UI pages: the manifest's resource directory served as Forge's CDN would, in an iframe of the
  sandbox's project page, with the bridge answered (see `forge_bridge.py`);
- the app's tokens for Jira: the REST subset takes only those (`forge_gateway.py`).

Everything is read from `manifest.yml` as Forge reads it (modules, endpoints, resources, scopes), never
from the backend's own names.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
import uuid
from typing import Any
from urllib.parse import quote

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from sandbox.connect_host import InstallError
from sandbox.forge_gateway import ForgeGateway
from sandbox.forge_manifest import ForgeManifest
from sandbox.permissions import APP
from sandbox.records import Installation
from sandbox.state import MOUNT, SandboxState

log = logging.getLogger("ticketgen.sandbox")
SANDBOX_APP_ID = "ari:cloud:ecosystem::app/5a4d0b1e-7c1f-4f3e-9d2a-5b0c5e1d7a11"
JWKS_PATH = "/forge/jwks.json"  # below the sandbox's mount
FIT_ISSUER = "forge/invocation-token"
FIT_LIFETIME_S = 25  # as in Atlassian's example token
BACKEND_MODULE = "core:endpoint"
PROJECT_PAGE = "jira:projectPage"
ADMIN_PAGE = "jira:adminPage"
INTERVALS_S = {"fiveMinute": 300, "hour": 3600, "day": 86400, "week": 604800}
EVENT_PREFIX = "avi:forge:"


def _stable_uuid(*parts: str) -> str:
    """The same ids on every start for the same site: the backend keeps its tenant across restarts."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "ticketgen-sandbox:" + ":".join(parts)))


class ForgeHost:
    """Parameters:
    state: the sandbox site's state; this sets its `gateway` (the REST then takes only Forge's tokens).
    manifest: the app as Forge knows it.
    """

    # The Custom UI iframe's sandbox, as Atlassian documents it ("Custom UI iframe"): no allow-popups and no
    # allow-top-navigation, so a page's links must leave through the bridge's router.
    frame_sandbox = (
        "allow-downloads allow-forms allow-modals allow-pointer-lock allow-same-origin allow-scripts"
    )

    def __init__(self, state: SandboxState, *, manifest: ForgeManifest | None = None) -> None:
        self.state = state
        self.manifest = manifest or ForgeManifest.load()
        self.app_id = SANDBOX_APP_ID
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = f"sandbox-forge-{secrets.token_hex(4)}"
        client_key = state.settings.client_key
        self.installation_uuid = _stable_uuid(client_key, "installation")
        self.cloud_id = _stable_uuid(client_key, "cloud")
        self.environment_id = f"ari:cloud:ecosystem::environment/{self.app_id.rsplit('/', 1)[1]}/" + (
            _stable_uuid(client_key, "environment")
        )
        self.installed = False
        self.triggers_sent = 0
        descriptor = {
            "key": state.app_key,
            "modules": {"jiraEntityProperties": self.manifest.entity_properties()},
        }
        state.gateway = ForgeGateway(
            installation=Installation(client_key, state.app_key, "", state.app_base_url, descriptor),
            scopes=self.manifest.scopes,
        )
        self.gateway = state.gateway

    def forge_page_parts(self) -> tuple[str, str] | None:
        """(app uuid, environment uuid): the parts of the app's page addresses, once installed."""
        if not self.installed:
            return None
        return self.app_id.rsplit("/", 1)[1], self.environment_id.rsplit("/", 1)[1]

    # --- what the backend is configured with --------------------------------------------------------

    @property
    def installation_id(self) -> str:
        return f"ari:cloud:ecosystem::installation/{self.installation_uuid}"

    @property
    def jwks_url(self) -> str:
        """Reached over the loopback, like the backend's other calls to the sandbox."""
        return f"{self.state.app_internal_url}{MOUNT}{JWKS_PATH}"

    @property
    def api_base_url(self) -> str:
        """`app.apiBaseUrl`: the sandbox site's REST (Atlassian's gateway path is not reproduced)."""
        return self.state.base_url

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    # --- invocation tokens ---------------------------------------------------------------------------

    def fit(
        self, *, module_type: str = BACKEND_MODULE, module_key: str = "", extension: dict[str, Any] | None = None,
        principal: str | None = None, lifetime_s: int = FIT_LIFETIME_S,
    ) -> str:  # fmt: skip
        now = int(time.time())
        claims: dict[str, Any] = {
            "app": {
                "id": self.app_id,
                "version": "1",
                "installationId": self.installation_id,
                "apiBaseUrl": self.api_base_url,
                "environment": {"type": "DEVELOPMENT", "id": self.environment_id},
                "module": {"type": module_type, "key": module_key},
                "installation": {
                    "id": self.installation_id,
                    "contexts": [
                        {"name": f"ari:cloud:jira::site/{self.cloud_id}", "apiBaseUrl": self.api_base_url}
                    ],
                },
            },
            "aud": self.app_id,
            "iss": FIT_ISSUER,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime_s,
            "jti": secrets.token_hex(20),
        }
        if module_type != BACKEND_MODULE:
            claims["context"] = {
                "cloudId": self.cloud_id,
                "siteUrl": self.state.base_url,
                "moduleKey": module_key,
                "localId": str(uuid.uuid4()),
                "extension": extension or {},
            }
            if principal:
                claims["principal"] = principal
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})

    def token_headers(self, endpoint_key: str, *, account_id: str | None = None) -> dict[str, str]:
        """The Jira tokens Forge adds for `endpoint_key`, as its manifest `auth` asks."""
        system, user = self.manifest.endpoint_tokens(endpoint_key)
        headers = {}
        if system:
            ttl_s = self.state.settings.forge_system_token_ttl_s
            headers["x-forge-oauth-system"] = self.gateway.issue("system", account_id=APP, ttl_s=ttl_s)
        if user and account_id:
            headers["x-forge-oauth-user"] = self.gateway.issue("user", account_id=account_id)
        return headers

    # --- calls Forge makes to the remote -------------------------------------------------------------

    async def post_backend(self, endpoint_key: str, body: dict[str, Any]) -> httpx.Response:
        """A trigger's call (`core:endpoint`, no user) to the endpoint's route on the remote."""
        path = self.manifest.route(endpoint_key)
        headers = {"authorization": f"Bearer {self.fit()}", **self.token_headers(endpoint_key)}
        target = f"{self.state.app_internal_url}{path}"
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                return await client.post(target, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise InstallError(f"could not reach the app's remote at {target}: {type(exc).__name__}") from exc

    async def send_lifecycle(self, event: str) -> None:
        """`event`: installed, upgraded or uninstalled."""
        event_type = f"{EVENT_PREFIX}{event}:app"
        endpoint = self.manifest.lifecycle_endpoint(event_type)
        if endpoint is None:
            raise InstallError(f"manifest.yml routes no trigger for {event_type}")
        body = {
            "eventType": event_type,
            "id": self.installation_uuid,
            "installerAccountId": self.state.settings.user_account_id,
            "app": {"id": self.app_id.rsplit("/", 1)[1], "version": "1"},
            "environment": {"id": self.environment_id.rsplit("/", 1)[1]},
        }
        response = await self.post_backend(endpoint, body)
        if response.status_code not in (200, 204):
            raise InstallError(
                f"the app refused the {event} event: HTTP {response.status_code} {response.text[:300]}"
            )
        self.installed = event != "uninstalled"

    async def install(self) -> Installation:
        await self.send_lifecycle("installed")
        return self.gateway.installation

    async def uninstall(self) -> None:
        await self.send_lifecycle("uninstalled")

    async def scheduled(self) -> httpx.Response:
        """One run of every scheduled trigger (each brings a fresh system token)."""
        response = None
        for trigger in self.manifest.modules("scheduledTrigger"):
            response = await self.post_backend(str(trigger["endpoint"]), {})
            self.triggers_sent += 1
        if response is None:
            raise InstallError("manifest.yml declares no scheduledTrigger")
        return response

    def trigger_interval_s(self) -> float:
        intervals = [
            INTERVALS_S.get(str(t.get("interval")), 3600) for t in self.manifest.modules("scheduledTrigger")
        ]
        return float(min(intervals, default=3600))

    async def run_triggers(self, interval_s: float | None = None) -> None:
        """Forever: the scheduled triggers on the manifest's interval (cancel the task to stop)."""
        while True:
            await asyncio.sleep(interval_s or self.trigger_interval_s())
            if not self.installed:
                continue
            try:
                await self.scheduled()
            except InstallError as exc:
                log.warning("sandbox: the scheduled trigger failed: %s", exc)

    # --- the pages Jira frames -----------------------------------------------------------------------

    def panel_url(
        self, project_key: str, *, account_id: str | None = None, module_key: str | None = None
    ) -> str | None:
        """The project page's Custom UI resource, as Forge's CDN serves it (None if not installed); it is
        always viewed as the sandbox's person (Connect's `?as=` is not offered in Forge mode)."""
        if not self.installed or self.state.store.project(project_key) is None:
            return None
        return f"{self.state.base_url}/forge/ui/project/{quote(project_key)}/index.html"

    def configure_url(self) -> str | None:
        return f"{self.state.base_url}/forge/ui/admin/-/index.html" if self.installed else None

    def installation(self) -> Installation | None:
        """What the site's pages and REST know of the app (None while it is not installed)."""
        return self.gateway.installation if self.installed else None

    def context_token(self, project_key: str | None) -> str | None:
        """Connect's `AP.context.getToken()` has no Forge counterpart."""
        return None
