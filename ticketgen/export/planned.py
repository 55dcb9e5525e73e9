"""The plan's fields on each issue (assignee, work category, estimate, sprint, parent) and the batch's parent.

What the create screen offers goes in the create request; what it lacks is edited in after creation
(`follow_up`), except the sprint, which Jira Software moves issues into by its own endpoint. The parent is
an issue of the project's parent-level type (hierarchy level 1: an epic, or a team-managed project's own
parent type), found by level and never by name, and it is created before the issues that point to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from ticketgen.drafts.model import Draft
from ticketgen.export.assignment import BatchPlan
from ticketgen.export.payload import PROPERTY_KEY, Prepared, Target, jira_labels

# The parent's export record and issue property use this key: no draft key looks like it ("<kind>:<id>").
PARENT_KEY = "batch:parent"
CategoryAs = Literal["label", "component"]


@dataclass(frozen=True, slots=True)
class PlanTarget:
    """What the project offers the plan, resolved once per run.

    parent_type_id: the parent-level issue type (None: the project has none: no parent is made).
    parent_screen: the fields of that type's create screen.
    estimation_field / estimation_kind: where an estimate goes (`story_points` or `original_estimate`).
    sprint_field: the Sprint field's key when the create screen has it.
    category_as: the tenant's choice; a component needs the Components field on the screen.
    sprint_id: the plan's sprint (None: the backlog).
    """

    parent_type_id: str | None
    parent_screen: frozenset[str] = frozenset()
    estimation_field: str | None = None
    estimation_kind: str = ""
    sprint_field: str | None = None
    category_as: CategoryAs = "label"
    sprint_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "parent_screen": sorted(self.parent_screen)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PlanTarget:
        return cls(**{**data, "parent_screen": frozenset(data.get("parent_screen") or ())})

    @property
    def moves_to_sprint(self) -> bool:
        """True when the sprint is set after creation, by Jira Software's move."""
        return self.sprint_id is not None and self.sprint_field is None


def parent_summary(batch_name: str) -> str:
    return f"{batch_name.strip() or 'Drupal'} site build: configuration"


def parent_prepared(target: Target, plan_target: PlanTarget, *, batch_id: str, batch_name: str) -> Prepared:
    """The parent's create request; it carries the app's issue property like every issue, so a request
    whose answer was lost is found again by the same read-back."""
    assert plan_target.parent_type_id is not None
    fields: dict[str, Any] = {
        "project": {"id": target.project_id},
        "issuetype": {"id": plan_target.parent_type_id},
        "summary": parent_summary(batch_name),
    }
    if "description" in plan_target.parent_screen:
        text = "The tickets generated from the site's Drupal specification are this issue's children."
        fields["description"] = {
            "type": "doc",
            "version": 1,
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
        }
    if "labels" in plan_target.parent_screen and target.labels:
        fields["labels"] = jira_labels(target.labels)
    marker = {"key": PROPERTY_KEY, "value": {"batchId": batch_id, "draftKey": PARENT_KEY}}
    return Prepared(PARENT_KEY, fields, (marker,), None)


def planned_fields(draft: Draft, plan: BatchPlan, plan_target: PlanTarget) -> dict[str, Any]:
    """Every plan field the issue should carry, whether or not the screen offers it (labels excepted: the
    category label joins the issue's labels)."""
    fields: dict[str, Any] = {}
    person = plan.assignee(draft)
    if person is not None:
        fields["assignee"] = {"accountId": person.account_id}
    if draft.category and plan_target.category_as == "component":
        fields["components"] = [{"name": draft.category}]
    if draft.estimate is not None and plan_target.estimation_field:
        if plan_target.estimation_kind == "story_points":
            fields[plan_target.estimation_field] = draft.estimate.points
        else:
            fields["timetracking"] = {"originalEstimate": draft.estimate.original_estimate}
    if plan_target.sprint_id is not None and plan_target.sprint_field:
        fields[plan_target.sprint_field] = plan_target.sprint_id
    return fields


def with_plan(
    prepared: Mapping[str, Prepared], drafts: Sequence[Draft], plan: BatchPlan, target: Target,
    plan_target: PlanTarget,
) -> dict[str, Prepared]:  # fmt: skip
    """The drafts' payloads with the plan fields the create screen offers (the others: `follow_up`)."""
    planned: dict[str, Prepared] = dict(prepared)
    for draft in drafts:
        p = prepared[draft.key]
        fields = dict(p.fields)
        for name, value in planned_fields(draft, plan, plan_target).items():
            if target.offers(name):
                fields[name] = value
        if draft.category and plan_target.category_as == "label" and "labels" in fields:
            fields["labels"] = jira_labels([*fields["labels"], draft.category])
        planned[draft.key] = replace(p, fields=fields)
    return planned


def with_parent(prepared: Mapping[str, Prepared], parent_key: str, target: Target) -> dict[str, Prepared]:
    if not target.offers("parent"):
        return dict(prepared)
    return {k: replace(p, fields={**p.fields, "parent": {"key": parent_key}}) for k, p in prepared.items()}


def follow_up(
    draft: Draft, plan: BatchPlan, target: Target, plan_target: PlanTarget, parent_key: str | None
) -> dict[str, Any]:
    """The plan fields the create screen did not take, for an edit after creation (the sprint and the
    assignee excepted: Jira Software's move, and Jira's assign issue, which needs no screen)."""
    wanted = planned_fields(draft, plan, plan_target)
    wanted.pop(plan_target.sprint_field or "", None)
    wanted.pop("assignee", None)
    if parent_key:
        wanted["parent"] = {"key": parent_key}
    return {name: value for name, value in wanted.items() if not target.offers(name)}
