"""A batch's plan in Jira's terms: who builds each work category, per-draft exceptions, and the sprint.

Stored with the batch as JSON (`BatchPlan.to_json`) and read back tolerant of older shapes; people are kept
with their display name and avatar so the panel and the refusal messages can name them without asking Jira.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ticketgen.drafts.model import CATEGORIES, Draft, Estimate
from ticketgen.planner.rates import SCALE

ACCOUNT_ID = re.compile(r"[A-Za-z0-9:_-]{1,128}")
UNASSIGNED = ""  # the totals' key for tickets nobody is planned for


class PlanError(ValueError):
    """A plan edit that cannot be stored; the message says which value and what is accepted."""


@dataclass(frozen=True, slots=True)
class Person:
    account_id: str
    display_name: str = ""
    avatar_url: str = ""

    @property
    def name(self) -> str:  # the API names people when they are planned; an id is never shown to a person
        return self.display_name or "a Jira user"

    def to_json(self) -> dict[str, str]:
        return {
            "account_id": self.account_id,
            "display_name": self.display_name,
            "avatar_url": self.avatar_url,
        }

    @classmethod
    def from_json(cls, data: Any, where: str = "person") -> Person:
        if isinstance(data, str):
            data = {"account_id": data}
        if not isinstance(data, Mapping) or not isinstance(data.get("account_id"), str):
            raise PlanError(f'{where} must be a Jira account id or {{"account_id": …}}, not {data!r:.60}')
        account = data["account_id"].strip()
        if not ACCOUNT_ID.fullmatch(account):
            raise PlanError(f"{where}: {account!r:.60} is not a Jira account id")
        return cls(
            account, str(data.get("display_name") or "")[:255], str(data.get("avatar_url") or "")[:1000]
        )


@dataclass(frozen=True, slots=True)
class SprintChoice:
    id: int
    name: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}

    @classmethod
    def from_json(cls, data: Any) -> SprintChoice | None:
        """None (or `{"id": null}`): the backlog."""
        if data is None or (isinstance(data, Mapping) and data.get("id") is None):
            return None
        if isinstance(data, int) and not isinstance(data, bool):
            data = {"id": data}
        sprint_id = data.get("id") if isinstance(data, Mapping) else None
        if isinstance(sprint_id, bool) or not isinstance(sprint_id, int) or sprint_id <= 0:
            raise PlanError(
                f'"sprint" must be a sprint id, {{"id": …}} or null (the backlog), not {data!r:.60}'
            )
        return cls(sprint_id, str(data.get("name") or "")[:255])


@dataclass(frozen=True, slots=True)
class BatchPlan:
    """Parameters:
    people: work category → the person its tickets are assigned to.
    overrides: draft key → the person that one ticket is assigned to instead.
    sprint: the sprint every issue goes into (None: the backlog).
    """

    people: Mapping[str, Person] = field(default_factory=dict)
    overrides: Mapping[str, Person] = field(default_factory=dict)
    sprint: SprintChoice | None = None

    @property
    def is_empty(self) -> bool:
        """Nothing planned: the export makes no parent and sets no plan fields, as before plans existed."""
        return not self.people and not self.overrides and self.sprint is None

    def assignee(self, draft: Draft) -> Person | None:
        return self.overrides.get(draft.key) or self.people.get(draft.category)

    def to_json(self) -> dict[str, Any]:
        return {
            "people": {c: p.to_json() for c, p in self.people.items()},
            "overrides": {k: p.to_json() for k, p in self.overrides.items()},
            "sprint": self.sprint.to_json() if self.sprint else None,
        }

    @classmethod
    def from_json(cls, data: Any) -> BatchPlan:
        """A stored plan; anything unreadable in it is dropped (an old or hand-edited row must not break the
        panel)."""
        if not isinstance(data, Mapping):
            return cls()
        try:
            return cls().changed(data, known_drafts=None)
        except PlanError:
            return cls()

    def changed(self, changes: Mapping[str, Any], *, known_drafts: Iterable[str] | None) -> BatchPlan:
        """A copy with `changes` applied: `people` and `overrides` merge (a null person removes the entry),
        `sprint` replaces. `known_drafts`: overrides may only name these drafts (None: not checked)."""
        unknown = set(changes) - {"people", "overrides", "sprint"}
        if unknown:
            raise PlanError(f"unknown plan fields: {', '.join(sorted(unknown))}")
        plan = self
        if "people" in changes:
            people = dict(self.people)
            for category, person in _mapping(changes["people"], "people").items():
                if category not in CATEGORIES:
                    raise PlanError(
                        f'"people" maps work categories ({", ".join(CATEGORIES)}), not {category!r}'
                    )
                _merge(people, category, person, f'"people"["{category}"]')
            plan = replace(plan, people=people)
        if "overrides" in changes:
            known = set(known_drafts) if known_drafts is not None else None
            overrides = dict(self.overrides)
            for key, person in _mapping(changes["overrides"], "overrides").items():
                if known is not None and key not in known:
                    raise PlanError(f'"overrides" names the draft {key!r}, which is not in this batch')
                _merge(overrides, key, person, f'"overrides"["{key}"]')
            plan = replace(plan, overrides=overrides)
        if "sprint" in changes:
            plan = replace(plan, sprint=SprintChoice.from_json(changes["sprint"]))
        return plan

    def assignees(self, drafts: Iterable[Draft]) -> dict[str, tuple[Person, list[Draft]]]:
        """Account id → the person and the drafts planned for them."""
        found: dict[str, tuple[Person, list[Draft]]] = {}
        for draft in drafts:
            person = self.assignee(draft)
            if person is not None:
                found.setdefault(person.account_id, (person, []))[1].append(draft)
        return found


def totals(drafts: Iterable[Draft], plan: BatchPlan) -> dict[str, list[dict[str, Any]]]:
    """Points and ticket counts per person (`account_id` "" for unassigned) and per category."""
    people: dict[str, dict[str, Any]] = {}
    categories: dict[str, dict[str, Any]] = {c: {"category": c, "count": 0, "points": 0} for c in CATEGORIES}
    for draft in drafts:
        points = draft.estimate.points if draft.estimate else 0
        person = plan.assignee(draft)
        account = person.account_id if person else UNASSIGNED
        row = people.setdefault(
            account, {**(person.to_json() if person else {"account_id": UNASSIGNED}), "count": 0, "points": 0}
        )
        row["count"] += 1
        row["points"] += points
        cat = categories.setdefault(draft.category, {"category": draft.category, "count": 0, "points": 0})
        cat["count"] += 1
        cat["points"] += points
    return {"people": list(people.values()), "categories": list(categories.values())}


def estimate_for_points(points: Any, where: str = "points") -> Estimate:
    """An estimate set by hand: its points on the planner's scale, with the time they stand for."""
    hours = dict(SCALE).get(points) if isinstance(points, int) and not isinstance(points, bool) else None
    if hours is None:
        scale = ", ".join(str(p) for p, _ in SCALE)
        raise PlanError(f"{where} must be one of {scale} story points, not {points!r:.30}")
    return Estimate(points=points, original_estimate=f"{hours}h", seconds=hours * 3600, basis=["set by hand"])


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PlanError(f'"{name}" must be an object, not {value!r:.60}')
    return value


def _merge(into: dict[str, Person], key: str, person: Any, where: str) -> None:
    if person is None:
        into.pop(key, None)
    else:
        into[key] = Person.from_json(person, where)
