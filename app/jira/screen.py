"""What a project's create screen allows, read from createmeta before anything is created.

Jira refuses a whole create request for a field its screen lacks, and refuses every issue that leaves a
required field without a default empty. Both are settings only a Jira admin can change, so the export says
which field on which screen before it sends anything, instead of failing 176 issues one by one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from app.jira.models import FieldMeta

# What every issue the app creates carries; Jira fills the rest of a screen's required fields only from
# their defaults.
SENT = frozenset({"project", "issuetype", "summary", "description", "labels"})
PROJECT_ACCESS_ROLE = "atlassian-addons-project-access"
# Jira Software's fields, known by their custom field type (their ids and names differ from site to site)
SPRINT_TYPE = "com.pyxis.greenhopper.jira:gh-sprint"
STORY_POINTS_TYPE = "com.pyxis.greenhopper.jira:jsw-story-points"


@dataclass(frozen=True, slots=True)
class Estimation:
    field: str  # the field key to send: a custom field's id, or `timetracking`
    kind: Literal["story_points", "original_estimate"]


def estimation_field(screen: Mapping[str, FieldMeta]) -> Estimation | None:
    """Where the screen takes an estimate: the Story point estimate field, else time tracking's original
    estimate, else nowhere (the estimate then stays in the app)."""
    points = next(
        (f.key for f in screen.values() if f.custom == STORY_POINTS_TYPE and "set" in f.operations), None
    )
    if points is not None:
        return Estimation(points, "story_points")
    if "timetracking" in screen:
        return Estimation("timetracking", "original_estimate")
    return None


def sprint_field(screen: Mapping[str, FieldMeta]) -> str | None:
    """The Sprint field's key when the screen has it (issues then go into a sprint as they are created)."""
    return next((f.key for f in screen.values() if f.custom == SPRINT_TYPE and "set" in f.operations), None)


def links_at_creation(screen: Mapping[str, FieldMeta]) -> bool:
    """True when the screen lets `update.issuelinks` add links while creating the issue."""
    links = screen.get("issuelinks")
    return links is not None and "add" in links.operations


def cannot_create(project_key: str) -> str:
    return (
        f"The app may not create issues in project {project_key}: Jira lists no issue type it can create "
        f"there. In the project's permission scheme, grant Create Issues, Link Issues and Create Attachments "
        f"to the {PROJECT_ACCESS_ROLE} project role (it holds the app's user), then resume the export."
    )


def screen_problem(screen: Mapping[str, FieldMeta], project_key: str, issue_type: str) -> str | None:
    """What on the create screen stops the export, in words a Jira admin can act on (None: nothing)."""
    where = f"The create screen for {issue_type} issues in project {project_key}"
    if "description" not in screen:
        return (
            f"{where} has no Description field, so the tickets' text cannot be sent. Add Description to "
            f"that screen, then resume the export."
        )
    unfillable = [f for f in screen.values() if f.required and not f.has_default and f.key not in SENT]
    if not unfillable:
        return None
    names = ", ".join(f"{f.name} ({f.key})" for f in unfillable)
    them = "it" if len(unfillable) == 1 else "them"
    return (
        f"{where} requires {names}, which the app cannot fill. Make {them} optional or give {them} a default "
        f"value in the project's field configuration, or choose another issue type in the app's settings, "
        f"then resume the export."
    )
