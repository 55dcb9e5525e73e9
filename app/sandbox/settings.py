"""What the sandbox Jira site looks like and how it behaves (faults live in `faults.py`)."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class SandboxSettings:
    """Parameters:
    projects: (key, name) of the projects the site has.
    links_at_creation: the create screen offers `issuelinks` with the `add` operation.
    index_delay_s: seconds before a new issue shows up in JQL search (Jira's search is eventually
        consistent); `reconcileIssues` bypasses the delay, as in Jira.
    client_key: the site's Connect clientKey.
    user_account_id / user_name: the person looking at the sandbox project page.
    max_attachment_bytes: per-file upload limit (Jira answers 413 above it).
    """

    projects: tuple[tuple[str, str], ...] = (("UWEC", "UWEC Drupal site"),)
    links_at_creation: bool = True
    index_delay_s: float = 0.0
    client_key: str = "sandbox-jira-site"
    user_account_id: str = "557058:5c7d0a3b-sandbox-admin"
    user_name: str = "Sandbox Admin"
    max_attachment_bytes: int = 10 * 1024 * 1024

    @classmethod
    def from_env(cls) -> SandboxSettings:
        """`SANDBOX_LINKS_AT_CREATION`, `SANDBOX_INDEX_DELAY_S`, `SANDBOX_PROJECTS` (`KEY:Name,KEY2:Name`)."""
        defaults = cls()
        projects = defaults.projects
        raw = os.environ.get("SANDBOX_PROJECTS", "").strip()
        if raw:
            projects = tuple(
                (key.strip().upper(), (name or key).strip())
                for key, _, name in (item.partition(":") for item in raw.split(",") if item.strip())
            )
        return cls(
            projects=projects,
            links_at_creation=_flag("SANDBOX_LINKS_AT_CREATION", defaults.links_at_creation),
            index_delay_s=float(os.environ.get("SANDBOX_INDEX_DELAY_S", "0") or 0),
        )
