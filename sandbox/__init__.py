"""A local Jira Cloud stand-in shipped with the product: a project page embedding the app's panel, the REST
subset the export uses (schema-validated), fault injection and request counters, and one of two hosts:
Connect (`connect_host.py`: install-keys service, signed install, JWT-verified REST) or Forge
(`forge_host.py`, `forge_bridge.py`, `forge_gateway.py`: FITs, lifecycle events and scheduled triggers, the
Custom UI bundle with its bridge, REST for the bearer tokens it issued). Mounted at `/sandbox` inside the
add-on's own app:

    sandbox = Sandbox.open(config)           # or Sandbox.open(config, host="forge")
    app = create_app(config, extra_routes=sandbox.routes())
    ...once the server listens: await sandbox.install()
"""

from __future__ import annotations

from dataclasses import replace

from starlette.routing import BaseRoute, Mount, Router

from app.config import Config
from sandbox.admin import Admin
from sandbox.agile_api import JiraAgile
from sandbox.comment_api import JiraComments
from sandbox.connect_host import Host, InstallError
from sandbox.faults import FaultRule
from sandbox.forge_bridge import ForgeBridge
from sandbox.forge_host import SANDBOX_APP_ID, ForgeHost
from sandbox.injection import FaultInjection
from sandbox.issue_api import JiraIssues
from sandbox.metadata import JiraMetadata
from sandbox.pages import SitePages
from sandbox.permission_api import JiraPermissionsCheck
from sandbox.search import JiraSearch
from sandbox.settings import SandboxSettings
from sandbox.state import MOUNT, SandboxState
from sandbox.store import Installation
from sandbox.transition_api import JiraTransitions
from sandbox.user_api import JiraUsers

__all__ = [
    "MAX_REQUEST_BYTES",
    "MOUNT",
    "SANDBOX_APP_ID",
    "FaultRule",
    "InstallError",
    "Installation",
    "Sandbox",
    "SandboxSettings",
]
HOSTS = ("connect", "forge")

# The stand-in takes what Jira takes (bulk creates of 50 issues, attachments up to its own limit), not the
# add-on's body cap; it is served only by `ticketgen sandbox`.
MAX_REQUEST_BYTES = 64 * 1024 * 1024


class Sandbox:
    """Parameters:
    state: the sandbox site's state (see `Sandbox.open`).
    host: which Atlassian host the site plays, "connect" or "forge".
    """

    def __init__(self, *, state: SandboxState, host: str = "connect") -> None:
        if host not in HOSTS:
            raise ValueError(f"unknown sandbox host {host!r} (one of {', '.join(HOSTS)})")
        self.state = state
        self.host: Host | ForgeHost = ForgeHost(state) if host == "forge" else Host(state)

    @classmethod
    def open(
        cls, config: Config, *, settings: SandboxSettings | None = None, internal_url: str = "",
        host: str = "connect",
    ) -> Sandbox:  # fmt: skip
        """`internal_url`: how this process reaches the app (e.g. `http://127.0.0.1:PORT`) when the public
        baseUrl does not resolve to the listening socket."""
        state = SandboxState.open(
            app_base_url=config.base_url,
            app_key=config.app_key,
            data_dir=config.data_dir,
            settings=settings or SandboxSettings.from_env(),
        )
        state.internal_url = internal_url
        return cls(state=state, host=host)

    @property
    def forge(self) -> ForgeHost | None:
        return self.host if isinstance(self.host, ForgeHost) else None

    def configure(self, config: Config) -> Config:
        """The add-on's settings in this sandbox: in Forge mode (only) it trusts the sandbox's FIT keys."""
        if self.forge is None:
            return config
        return replace(config, forge_app_id=SANDBOX_APP_ID, forge_jwks_url=self.forge.jwks_url)

    @property
    def base_url(self) -> str:
        return self.state.base_url

    @property
    def install_keys_url(self) -> str:
        """What the add-on's `Config.install_keys_url` must be in sandbox mode."""
        return f"{self.state.base_url}/install-keys"

    def project_url(self, key: str | None = None) -> str:
        key = key or self.state.settings.projects[0][0]
        return f"{self.state.base_url}/projects/{key}"

    def routes(self) -> list[BaseRoute]:
        site = [
            *JiraMetadata(self.state).routes(),
            *JiraIssues(self.state).routes(),
            *JiraComments(self.state).routes(),
            *JiraTransitions(self.state).routes(),
            *JiraSearch(self.state).routes(),
            *JiraPermissionsCheck(self.state).routes(),
            *JiraUsers(self.state).routes(),
            *JiraAgile(self.state).routes(),
            *SitePages(self.state, self.host).routes(),
            *Admin(self.state, self.host).routes(),
            *(ForgeBridge(self.state, self.forge).routes() if self.forge else []),
        ]
        app = FaultInjection(Router(routes=site), faults=self.state.faults, stats=self.state.stats)
        return [Mount(MOUNT, app=app)]

    async def install(self) -> Installation:
        return await self.host.install()

    def close(self) -> None:
        self.state.store.close()
