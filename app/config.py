"""All settings come from environment variables (production) or CLI flags (embedded/sandbox)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

ATLASSIAN_INSTALL_KEYS_URL = "https://connect-install-keys.atlassian.com"
ATLASSIAN_FORGE_JWKS_URL = "https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json"


def _hosts(value: str) -> tuple[str, ...]:
    """Hosts from a comma-separated list of hosts or site URLs, lower-cased."""
    hosts = []
    for item in (part.strip() for part in value.split(",")):
        if item:
            hosts.append((urlsplit(item if "//" in item else "//" + item).hostname or "").lower())
    return tuple(h for h in hosts if h)


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


@dataclass(frozen=True, slots=True)
class Config:
    """Parameters:
    base_url: public URL of the add-on (the descriptor's baseUrl); may carry a path prefix.
    data_dir: where the embedded SQLite file, sandbox state and attachments live.
    database_url: SQLAlchemy async URL; default is SQLite under data_dir.
    redis_url: when set, jobs go to a Redis broker and separate `dramatiq` workers; else in-process.
    secret_key: Fernet key (urlsafe base64, 32 bytes) for secrets at rest and session tokens.
    install_keys_url: where signed-install public keys are fetched by `kid`.
    app_key: the Connect app key (descriptor `key`, `iss` of our outbound JWTs).
    sandbox: serve the local Jira stand-in in the same process.
    extra_site_domains: Jira site domains accepted besides Atlassian's ("jira.example.com", "*.example.com").
    slack_client_id / slack_client_secret: the Slack app's OAuth credentials; with them (and the signing secret)
        Slack runs in workspaces mode: each tenant links its own workspace, whose bot token is kept encrypted.
    slack_bot_token: without OAuth credentials, the one workspace's bot token (single-company mode).
    forge_app_id: the Forge app id (`ari:cloud:ecosystem::app/<uuid>`, manifest `app.id`); set, the app is also a
        Forge remote: it accepts Forge Invocation Tokens whose `aud` is this id. Empty: Connect only.
    forge_jwks_url: the keys FITs are signed with (Atlassian's; the sandbox's in sandbox mode).
    forge_environment_ids: the Forge environments (`ari:cloud:ecosystem::environment/…`) this deployment
        serves (empty: any); a FIT from another environment of the same app is refused.
    allowed_sites: Jira site hosts that may install the app (empty: any). In single-company mode the one bot
        also speaks only for these sites (empty: for none), since every tenant would share it.
    """

    base_url: str = "http://localhost:8000"
    data_dir: Path = field(default_factory=lambda: Path("data"))
    database_url: str = ""
    redis_url: str = ""
    secret_key: str = ""
    install_keys_url: str = ATLASSIAN_INSTALL_KEYS_URL
    app_key: str = "drupal-ticket-generator"
    sandbox: bool = False
    anthropic_api_key: str = ""
    anthropic_base_url: str = ""
    anthropic_model: str = "claude-sonnet-5-5"
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_team_id: str = ""
    slack_base_url: str = ""
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_oauth_url: str = ""
    allowed_sites: tuple[str, ...] = ()
    extra_site_domains: tuple[str, ...] = ()
    forge_app_id: str = ""
    forge_jwks_url: str = ATLASSIAN_FORGE_JWKS_URL
    forge_environment_ids: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, **overrides: object) -> Config:
        defaults = cls()  # slots=True: class attributes are slot descriptors, not the defaults
        cfg = cls(
            base_url=_env("BASE_URL", defaults.base_url).rstrip("/"),
            data_dir=Path(_env("DATA_DIR", "data")),
            database_url=_env("DATABASE_URL"),
            redis_url=_env("REDIS_URL"),
            secret_key=_env("SECRET_KEY"),
            install_keys_url=_env("INSTALL_KEYS_URL", ATLASSIAN_INSTALL_KEYS_URL).rstrip("/"),
            app_key=_env("APP_KEY", defaults.app_key),
            anthropic_api_key=_env("ANTHROPIC_API_KEY"),
            anthropic_base_url=_env("ANTHROPIC_BASE_URL"),
            anthropic_model=_env("ANTHROPIC_MODEL", defaults.anthropic_model),
            slack_bot_token=_env("SLACK_BOT_TOKEN"),
            slack_signing_secret=_env("SLACK_SIGNING_SECRET"),
            slack_team_id=_env("SLACK_TEAM_ID"),
            slack_base_url=_env("SLACK_API_URL"),
            slack_client_id=_env("SLACK_CLIENT_ID"),
            slack_client_secret=_env("SLACK_CLIENT_SECRET"),
            slack_oauth_url=_env("SLACK_OAUTH_URL"),
            allowed_sites=_hosts(_env("ALLOWED_SITES")),
            extra_site_domains=tuple(d.strip() for d in _env("EXTRA_SITE_DOMAINS").split(",") if d.strip()),
            forge_app_id=_env("FORGE_APP_ID"),
            forge_jwks_url=_env("FORGE_JWKS_URL", ATLASSIAN_FORGE_JWKS_URL),
            forge_environment_ids=tuple(
                e.strip() for e in _env("FORGE_ENVIRONMENT_IDS").split(",") if e.strip()
            ),
        )
        return replace(cfg, **overrides) if overrides else cfg  # type: ignore[arg-type]

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{(self.data_dir / 'ticketgen.db').resolve()}"

    @property
    def slack_workspaces(self) -> bool:
        """Workspaces mode: the app is installed into each tenant's own Slack workspace through OAuth."""
        return bool(self.slack_client_id and self.slack_client_secret and self.slack_signing_secret)

    @property
    def slack_enabled(self) -> bool:
        return self.slack_workspaces or bool(self.slack_bot_token and self.slack_signing_secret)

    def site_allowed(self, site_url: str) -> bool:
        """ALLOWED_SITES holds hosts ("acme.atlassian.net"); empty allows every site."""
        return not self.allowed_sites or (urlsplit(site_url).hostname or "").lower() in self.allowed_sites

    @property
    def forge_enabled(self) -> bool:
        return bool(self.forge_app_id)

    @property
    def forge_keys_are_local(self) -> bool:
        """FITs signed by a key set on this machine (the sandbox): only then may their apiBaseUrl be plain
        http on a loopback host."""
        parts = urlsplit(self.forge_jwks_url)
        return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")

    @property
    def llm_enabled(self) -> bool:
        return bool(self.anthropic_api_key)
