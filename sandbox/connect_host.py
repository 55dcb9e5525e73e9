"""The Connect host side of the sandbox (one module per Atlassian host): install-keys service, signed lifecycle callbacks, and the tokens
Jira puts in iframe URLs and hands to `AP.context.getToken()`."""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import jwt

from app.connect.qsh import CONTEXT_QSH, url_hash
from sandbox.state import SandboxState
from sandbox.store import Installation

TOKEN_TTL_S = 180
CONTEXT_TOKEN_TTL_S = 900
SIGNED_EVENTS = ("installed", "uninstalled")


class InstallError(RuntimeError):
    """The add-on refused or could not be reached; the message says which and why."""


def _context(project: Any) -> dict[str, Any]:
    if project is None:
        return {}
    return {"jira": {"project": {"id": str(project["id"]), "key": project["key"]}}}


class Host:
    frame_sandbox = ""  # Connect's page frame is not restricted beyond the browser's cross-origin rules

    def forge_page_parts(self) -> None:  # a Connect app has no Forge page addresses
        return None

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    async def descriptor(self, *, app_url: str | None = None, timeout_s: float = 10.0) -> dict[str, Any]:
        url = f"{(app_url or self.state.app_internal_url).rstrip('/')}/atlassian-connect.json"
        try:
            async with httpx.AsyncClient(timeout=timeout_s) as client:
                response = await client.get(url)
        except httpx.HTTPError as exc:
            raise InstallError(f"could not fetch the app descriptor at {url}: {type(exc).__name__}") from exc
        if response.status_code != 200:
            raise InstallError(f"the app descriptor at {url} answered HTTP {response.status_code}")
        return response.json()

    def lifecycle_payload(self, descriptor: dict[str, Any], event: str, shared_secret: str) -> dict[str, Any]:
        settings = self.state.settings
        return {
            "key": descriptor["key"],
            "clientKey": settings.client_key,
            "sharedSecret": shared_secret,
            "serverVersion": "100292",
            "pluginsVersion": "1001.0.0-SNAPSHOT",
            "baseUrl": self.state.base_url,
            "displayUrl": self.state.base_url,
            "productType": "jira",
            "description": "Local Jira sandbox",
            "eventType": event,
            "cloudId": "sandbox-" + settings.client_key,
            "oauthClientId": "sandbox-oauth-" + settings.client_key,
        }

    def lifecycle_token(self, descriptor: dict[str, Any], url: str, event: str, shared_secret: str) -> str:
        base_url = str(descriptor["baseUrl"]).rstrip("/")
        now = int(time.time())
        claims = {
            "iss": self.state.settings.client_key,
            "iat": now,
            "exp": now + TOKEN_TTL_S,
            "qsh": url_hash("POST", url, base_path=urlsplit(base_url).path),
            "context": {},
            "jti": secrets.token_hex(16),  # two installs in the same second must not look like a replay
        }
        if event in SIGNED_EVENTS:
            claims["aud"] = base_url
            return jwt.encode(
                claims, self.state.key.private_pem, algorithm="RS256", headers={"kid": self.state.key.kid}
            )
        return jwt.encode(claims, shared_secret, algorithm="HS256")

    async def send_lifecycle(self, event: str = "installed", *, app_url: str | None = None) -> Installation:
        """Sends the `event` callback like Jira; `installed` issues a fresh shared secret (a re-install
        rotates it). `app_url` reaches the app when its public baseUrl is not routable from here."""
        app_url = app_url or self.state.app_internal_url
        descriptor = await self.descriptor(app_url=app_url)
        path = descriptor.get("lifecycle", {}).get(event)
        if not path:
            raise InstallError(f"the app descriptor declares no '{event}' lifecycle callback")
        current = self.state.store.installation(descriptor["key"])
        secret = (
            secrets.token_urlsafe(32) if event == "installed" or current is None else current.shared_secret
        )
        public_url = f"{str(descriptor['baseUrl']).rstrip('/')}{path}"
        target = f"{app_url.rstrip('/')}{path}"
        token = self.lifecycle_token(descriptor, public_url, event, secret)
        try:
            async with httpx.AsyncClient(timeout=30) as client:
                response = await client.post(
                    target,
                    json=self.lifecycle_payload(descriptor, event, secret),
                    headers={"Authorization": f"JWT {token}"},
                )
        except httpx.HTTPError as exc:
            raise InstallError(
                f"could not reach the app's {event} callback at {target}: {type(exc).__name__}"
            ) from exc
        if response.status_code not in (200, 204):
            raise InstallError(
                f"the app refused the {event} callback: HTTP {response.status_code} {response.text[:300]}"
            )
        installation = Installation(
            self.state.settings.client_key,
            descriptor["key"],
            secret,
            str(descriptor["baseUrl"]).rstrip("/"),
            descriptor,
        )
        self.state.store.save_installation(installation)
        return installation

    async def install(self, *, app_url: str | None = None) -> Installation:
        """Jira follows `installed` with `enabled` when the descriptor declares it; the app must take both."""
        installation = await self.send_lifecycle("installed", app_url=app_url)
        if "enabled" in installation.descriptor.get("lifecycle", {}):
            await self.send_lifecycle("enabled", app_url=app_url)
        return installation

    # --- tokens Jira gives the app's pages -------------------------------------------------------------

    def installation(self) -> Installation | None:
        return self.state.store.installation(self.state.app_key)

    def panel_url(
        self, project_key: str, *, module_key: str | None = None, account_id: str | None = None
    ) -> str | None:
        """The iframe URL of the app's project page, signed as Jira signs it (None if not installed), for
        the sandbox's person or `account_id` ("" is an anonymous visitor of a public project)."""
        installation = self.installation()
        project = self.state.store.project(project_key)
        if installation is None or project is None:
            return None
        pages = installation.descriptor.get("modules", {}).get("jiraProjectPages", [])
        page = next((p for p in pages if module_key in (None, p.get("key"))), None)
        if page is None:
            return None
        path = (
            str(page["url"])
            .replace("{project.key}", project["key"])
            .replace("{project.id}", str(project["id"]))
        )
        extra = {
            "xdm_e": self.state.origin,
            "xdm_c": f"channel-{installation.app_key}__{page.get('key', 'page')}",
            "cp": self.state.context_path,
            "xdm_deprecated_addon_key_do_not_use": installation.app_key,
            "lic": "none",
            "cv": "1001.0.0-SNAPSHOT",
            "tz": "UTC",
            "loc": "en-US",
        }
        url = f"{installation.app_base_url}{path}{'&' if '?' in path else '?'}{urlencode(extra)}"
        return self._signed(installation, url, project, account_id=account_id)

    def configure_url(self) -> str | None:
        """The app's configure page as "Manage apps → Configure" frames it for an admin (None when the app
        is not installed or declares none), signed for the sandbox's person with no project context."""
        installation = self.installation()
        page = (
            installation.descriptor.get("modules", {}).get("configurePage") if installation else None
        ) or {}
        if installation is None or not page.get("url"):
            return None
        extra = {"xdm_e": self.state.origin, "cp": self.state.context_path, "lic": "none", "tz": "UTC"}
        return self._signed(
            installation, f"{installation.app_base_url}{page['url']}?{urlencode(extra)}", None
        )

    def _signed(
        self, installation: Installation, url: str, project: Any, *, account_id: str | None = None
    ) -> str:
        """`url` with the page token Jira appends to an iframe's address (its `qsh` covers the URL)."""
        qsh = url_hash("GET", url, base_path=urlsplit(installation.app_base_url).path)
        token = self._user_token(installation, project, qsh=qsh, ttl_s=TOKEN_TTL_S, account_id=account_id)
        return f"{url}&{urlencode({'jwt': token})}"

    def context_token(self, project_key: str | None) -> str | None:
        """What `AP.context.getToken()` returns inside Jira: usable only on the app's AJAX routes."""
        installation = self.installation()
        if installation is None:
            return None
        project = self.state.store.project(project_key) if project_key else None
        return self._user_token(installation, project, qsh=CONTEXT_QSH, ttl_s=CONTEXT_TOKEN_TTL_S)

    def _user_token(
        self, installation: Installation, project: Any, *, qsh: str, ttl_s: int, account_id: str | None = None
    ) -> str:
        """Signed as the person looking at the sandbox page, about the project they are on."""
        settings = self.state.settings
        now = int(time.time())
        claims = {
            "iss": settings.client_key,
            "sub": settings.user_account_id if account_id is None else account_id,
            "iat": now,
            "exp": now + ttl_s,
            "qsh": qsh,
            "context": _context(project),
        }
        return jwt.encode(claims, installation.shared_secret, algorithm="HS256")
