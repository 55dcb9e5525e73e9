"""`IssueUpdateDetails` bodies for `POST /rest/api/3/issue/bulk`, one per draft."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ticketgen.adf import Attachment, description_for
from ticketgen.drafts.model import Draft

# The descriptor's `jiraEntityProperties` indexes `batchId` and `draftKey` of this property, which is how
# the export finds the issues it already created (JQL) after a crash.
PROPERTY_KEY = "ticketgen"
SUMMARY_LIMIT = 255


@dataclass(frozen=True, slots=True)
class Target:
    """Parameters:
    project_id: the Jira project's id (resolved once per run).
    issue_type_id: the id of the tenant's issue type (Task by default) in that project.
    labels: the tenant's labels, added to every issue before the draft's own.
    link_type: the name of the resolved "Blocks" link type.
    screen: the fields the project's create screen has for that issue type (None: not known, send all);
        Jira refuses a field the screen lacks, so an issue leaves out what its screen does not offer.
    """

    project_id: str
    issue_type_id: str
    labels: tuple[str, ...] = ()
    link_type: str = "Blocks"
    screen: frozenset[str] | None = None

    def offers(self, field: str) -> bool:
        return self.screen is None or field in self.screen


@dataclass(frozen=True, slots=True)
class Prepared:
    """A draft ready to send: the fields and property that never change, and its attachment if any."""

    key: str
    fields: dict[str, Any]
    properties: tuple[dict[str, Any], ...]
    attachment: Attachment | None


def jira_labels(labels: Iterable[str]) -> list[str]:
    """Jira labels cannot contain spaces; duplicates are dropped, order kept."""
    cleaned = (re.sub(r"\s+", "-", label.strip()) for label in labels)
    return list(dict.fromkeys(label for label in cleaned if label))


def prepare(drafts: Sequence[Draft], *, batch_id: str, target: Target) -> dict[str, Prepared]:
    prepared: dict[str, Prepared] = {}
    for draft in drafts:
        description = description_for(draft)
        fields: dict[str, Any] = {
            "project": {"id": target.project_id},
            "issuetype": {"id": target.issue_type_id},
            "summary": _summary(draft.summary),
            "description": description.adf,
        }
        if target.offers("labels"):
            fields["labels"] = jira_labels([*target.labels, *draft.labels])
        marker = {"key": PROPERTY_KEY, "value": {"batchId": batch_id, "draftKey": draft.key}}
        prepared[draft.key] = Prepared(draft.key, fields, (marker,), description.attachment)
    return prepared


def issue_update(
    prepared: Prepared, *, blockers: Sequence[str] = (), link_type: str = "Blocks"
) -> dict[str, Any]:
    """`blockers`: issue keys of existing issues that block this one, linked at creation. For "Blocks",
    the issue named as `inwardIssue` is the blocking one."""
    body: dict[str, Any] = {
        "fields": dict(prepared.fields),
        "properties": [dict(p) for p in prepared.properties],
    }
    if blockers:
        body["update"] = {
            "issuelinks": [
                {"add": {"type": {"name": link_type}, "inwardIssue": {"key": key}}} for key in blockers
            ]
        }
    return body


def marked_draft(properties: Mapping[str, Any], batch_id: str) -> str | None:
    """The draft an issue was made for, read from the property `prepare` set on it (None: not this batch's).
    This is the only link between an issue and its draft that Jira keeps: a bulk create's answer does not
    say which issue came from which request."""
    marker = properties.get(PROPERTY_KEY)
    if not isinstance(marker, Mapping) or marker.get("batchId") != batch_id:
        return None
    key = marker.get("draftKey")
    return key if isinstance(key, str) and key else None


def attachments(prepared: Mapping[str, Prepared]) -> dict[str, Attachment]:
    return {key: p.attachment for key, p in prepared.items() if p.attachment is not None}


def _summary(text: str) -> str:
    text = " ".join(text.split()) or "Untitled draft"
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1].rstrip() + "…"
