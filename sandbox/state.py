"""Everything the sandbox's endpoints share: the site's settings, storage, faults, counters and keys."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.connect.pages import SANDBOX_MOUNT
from sandbox.directory import Directory
from sandbox.faults import Faults
from sandbox.forge_gateway import ForgeGateway
from sandbox.keys import SigningKey
from sandbox.permissions import SitePermissions
from sandbox.settings import SandboxSettings
from sandbox.stats import Stats
from sandbox.store import SandboxStore

MOUNT = SANDBOX_MOUNT  # the panel pages load the sandbox's all.js from there
SETTABLE = {
    "links_at_creation": bool,
    "index_delay_s": float,
    "index_lag_s": float,
    "omit_is_last": float,
    "shuffle_bulk_results": bool,
    "labels_on_screen": bool,
    "required_field": str,
    "app_can_create": bool,
    "blocks_link_name": str,
    "assignee_on_screen": bool,
    "boards": bool,
    "estimation": str,
    "forge_system_token_ttl_s": float,
}
PROBABILITIES = ("omit_is_last",)
ESTIMATIONS = ("story_points", "original_estimate", "")


@dataclass
class SandboxState:
    """Parameters:
    app_base_url: the add-on's baseUrl (what the sandbox installs).
    app_key: the add-on's key (the `iss` of its calls to Jira).
    settings: the site's current settings (changed at runtime by the admin endpoint).
    store: persistent site data.
    key: the RSA key pair the sandbox signs install callbacks with.
    internal_url: where this process reaches the app when its baseUrl is not routable (default: baseUrl).
    gateway: Forge mode: the bearer tokens the site issued and the app's scopes (its REST takes only those).
    rng: the randomness of the behaviours Jira leaves unspecified (answer order, optional keys).
    permissions: who may do what on the site (the person of `settings` and the app's user by default).
    """

    app_base_url: str
    app_key: str
    settings: SandboxSettings
    store: SandboxStore
    key: SigningKey
    faults: Faults = field(default_factory=Faults)
    stats: Stats = field(default_factory=Stats)
    internal_url: str = ""
    rng: random.Random = field(default_factory=random.Random)
    permissions: SitePermissions = field(init=False)
    gateway: ForgeGateway | None = None  # set when the site hosts the app as Forge (`forge_host.py`)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.permissions = SitePermissions(user_account_id=self.settings.user_account_id)

    @classmethod
    def open(
        cls, *, app_base_url: str, app_key: str, data_dir: Path, settings: SandboxSettings
    ) -> SandboxState:
        store = SandboxStore(Path(data_dir) / "sandbox.db")
        store.ensure_projects(settings.projects)
        return cls(
            app_base_url.rstrip("/"), app_key, settings, store, SigningKey.load_or_create(Path(data_dir))
        )

    @property
    def app_internal_url(self) -> str:
        return (self.internal_url or self.app_base_url).rstrip("/")

    @property
    def base_url(self) -> str:
        """The sandbox site's baseUrl: Jira's REST API lives under it, and its path is the context path."""
        return self.app_base_url + MOUNT

    @property
    def context_path(self) -> str:
        return urlsplit(self.base_url).path

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def directory(self) -> Directory:
        return Directory(settings=self.settings, permissions=self.permissions)

    def update_settings(self, changes: dict[str, Any]) -> SandboxSettings:
        unknown = set(changes) - set(SETTABLE)
        if unknown:
            raise ValueError(
                f"unknown settings: {', '.join(sorted(unknown))} (settable: {', '.join(SETTABLE)})"
            )
        for name, value in changes.items():
            if not isinstance(value, SETTABLE[name]) and not (
                SETTABLE[name] is float and isinstance(value, int)
            ):
                raise ValueError(f"{name} must be a {SETTABLE[name].__name__}")
            if SETTABLE[name] is float and value < 0:
                raise ValueError(f"{name} must not be negative")
            if name in PROBABILITIES and value > 1:
                raise ValueError(f"{name} is a chance: between 0 and 1")
            if name == "estimation" and value not in ESTIMATIONS:
                raise ValueError(f"estimation is one of {', '.join(repr(e) for e in ESTIMATIONS)}")
            if name == "blocks_link_name" and not value.strip():
                raise ValueError("blocks_link_name must not be empty")
        with self._lock:
            self.settings = replace(self.settings, **changes)
        return self.settings
