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
    index_lag_s: on top of that, each issue waits a random share of this many seconds (drawn once per issue,
        so an issue once found stays found): the index does not catch up in creation order either.
    omit_is_last: the chance that a search page leaves `isLast` out (the schema makes it optional; only
        `nextPageToken` says whether another page follows). 0 and 1 make it deterministic.
    shuffle_bulk_results: a bulk create lists the issues it made in an order unrelated to the request's
        (Jira documents none; only refusals carry their request index).
    client_key: the site's Connect clientKey.
    user_account_id / user_name: the person looking at the sandbox project page.
    max_attachment_bytes: per-file upload limit (Jira answers 413 above it).
    labels_on_screen: the create screen has the Labels field (a project may remove it; Jira then refuses
        `labels` in `fields` and in `update`).
    required_field: the name of a required custom field without a default value on the create screen (""
        for none): Jira refuses every create that leaves it out.
    app_can_create: the app's user has Create Issues in the projects; without it Jira's createmeta lists no
        issue types at all (the app user's permissions in `permissions.py` must grant it too).
    blocks_link_name: the name of the "Blocks" issue link type (id 10000); a Jira admin may rename a link
        type, and only its id and its "blocks" / "is blocked by" descriptions stay.
    check_descriptions: each description is validated against the ADF schema, as Jira does. Off only for
        benchmarks (`ticketgen sandbox --cheap`, `SANDBOX_CHEAP`): Jira's CPU is not on our machine, so a
        scale run should not pay for it; the size limit and the object check still hold.
    assignee_on_screen: the create screen has the Assignee field (an admin may take it off; Jira then refuses
        `assignee` on create).
    boards: every project has a Scrum board with a closed, an active and a future sprint, and the Sprint field
        on its create screen (`agile.py`); without, the Jira Software API finds no board for the project.
    estimation: the project's estimation field on the create screen: "story_points" (the Story point
        estimate custom field), "original_estimate" (time tracking) or "" (none).
    forge_system_token_ttl_s: Forge mode: the life of each app system token issued from now on (Forge
        gives at least 2 hours; tests shorten it to make a stored token expire).
    """

    projects: tuple[tuple[str, str], ...] = (("UWEC", "UWEC Drupal site"),)
    links_at_creation: bool = True
    index_delay_s: float = 0.0
    index_lag_s: float = 1.0
    omit_is_last: float = 0.5
    shuffle_bulk_results: bool = True
    client_key: str = "sandbox-jira-site"
    user_account_id: str = "557058:5c7d0a3b-sandbox-admin"
    user_name: str = "Sandbox Admin"
    max_attachment_bytes: int = 10 * 1024 * 1024
    check_descriptions: bool = True
    labels_on_screen: bool = True
    required_field: str = ""
    app_can_create: bool = True
    blocks_link_name: str = "Blocks"
    assignee_on_screen: bool = True
    boards: bool = True
    estimation: str = "story_points"
    forge_system_token_ttl_s: float = 7200.0

    @classmethod
    def from_env(cls) -> SandboxSettings:
        """`SANDBOX_LINKS_AT_CREATION`, `SANDBOX_INDEX_DELAY_S`, `SANDBOX_INDEX_LAG_S`, `SANDBOX_OMIT_IS_LAST`,
        `SANDBOX_SHUFFLE_BULK_RESULTS`, `SANDBOX_CHEAP`, `SANDBOX_PROJECTS` (`KEY:Name,KEY2:Name`),
        `SANDBOX_FORGE_SYSTEM_TOKEN_TTL_S`."""
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
            index_lag_s=float(os.environ.get("SANDBOX_INDEX_LAG_S", "") or defaults.index_lag_s),
            omit_is_last=float(os.environ.get("SANDBOX_OMIT_IS_LAST", "") or defaults.omit_is_last),
            shuffle_bulk_results=_flag("SANDBOX_SHUFFLE_BULK_RESULTS", defaults.shuffle_bulk_results),
            check_descriptions=not _flag("SANDBOX_CHEAP", False),
            forge_system_token_ttl_s=float(
                os.environ.get("SANDBOX_FORGE_SYSTEM_TOKEN_TTL_S", "") or defaults.forge_system_token_ttl_s
            ),
        )
