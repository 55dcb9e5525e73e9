"""`manifest.yml` as Forge reads it: the modules, endpoints and their token `auth`, triggers, resources and
scopes the sandbox's Forge host acts on (never the backend's own names for them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.connect_host import InstallError

MANIFEST_FILE = Path(__file__).resolve().parents[1] / "manifest.yml"


@dataclass(frozen=True, slots=True)
class ForgeManifest:
    """The parts of `manifest.yml` Forge acts on."""

    document: dict[str, Any]
    directory: Path

    @classmethod
    def load(cls, path: Path = MANIFEST_FILE) -> ForgeManifest:
        import yaml

        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict):
            raise InstallError(f"{path} is not a Forge manifest")
        return cls(document=document, directory=path.parent)

    def modules(self, kind: str) -> list[dict[str, Any]]:
        found = self.document.get("modules", {}).get(kind) or []
        return [m for m in found if isinstance(m, dict)]

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.document.get("permissions", {}).get("scopes") or [])

    def endpoint(self, key: str) -> dict[str, Any]:
        for endpoint in self.modules("endpoint"):
            if endpoint.get("key") == key:
                return endpoint
        raise InstallError(f"manifest.yml declares no endpoint {key!r}")

    def endpoint_tokens(self, key: str) -> tuple[bool, bool]:
        """(system, user): which of the app's Jira tokens Forge sends to this endpoint."""
        auth = self.endpoint(key).get("auth") or {}
        return (
            bool((auth.get("appSystemToken") or {}).get("enabled")),
            bool((auth.get("appUserToken") or {}).get("enabled")),
        )

    def route(self, key: str) -> str:
        return str((self.endpoint(key).get("route") or {}).get("path") or "")

    def lifecycle_endpoint(self, event: str) -> str | None:
        for trigger in self.modules("trigger"):
            if event in (trigger.get("events") or []):
                return str(trigger.get("endpoint") or "") or None
        return None

    def page(self, kind: str) -> dict[str, Any]:
        pages = self.modules(kind)
        if not pages:
            raise InstallError(f"manifest.yml declares no {kind} module")
        return pages[0]

    def entity_properties(self) -> list[dict[str, Any]]:
        """The `jira:entityProperty` modules (what Jira indexes for JQL), in the shape the sandbox's search
        reads (Connect's `jiraEntityProperties`)."""
        return [
            {
                "entityType": module.get("entityType", "issue"),
                "keyConfigurations": [
                    {
                        "propertyKey": module.get("propertyKey", ""),
                        "extractions": [
                            {"objectName": value.get("path", ""), "alias": value.get("searchAlias")}
                            for value in module.get("values") or []
                        ],
                    }
                ],
            }
            for module in self.modules("jira:entityProperty")
        ]

    def resource_dir(self, key: str) -> Path:
        for resource in self.document.get("resources") or []:
            if resource.get("key") == key:
                return (self.directory / str(resource["path"])).resolve()
        raise InstallError(f"manifest.yml declares no resource {key!r}")
