"""Jira Software on the sandbox site: one Scrum board per project, each with a closed, an active and a future
sprint (`SandboxSettings.boards`; without, no project has a board).

Ids follow the projects' order (board 1 is the first project's; its sprints are 1, 2 and 3), so they are the
same on every run. Dates are fixed: nothing here depends on the day a test runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.settings import SandboxSettings
from sandbox.store import SandboxStore

SPRINT_STATES = ("closed", "active", "future")
_DATES = {
    "closed": ("2026-11-09T09:00:00.000Z", "2026-11-20T17:00:00.000Z"),
    "active": ("2026-11-23T09:00:00.000Z", "2026-12-04T17:00:00.000Z"),
    "future": ("2026-12-07T09:00:00.000Z", "2026-12-18T17:00:00.000Z"),
}


@dataclass(frozen=True, slots=True)
class Board:
    id: int
    name: str
    project_id: int
    project_key: str
    project_name: str


@dataclass(frozen=True, slots=True)
class Sprint:
    id: int
    name: str
    state: str  # one of SPRINT_STATES
    board_id: int


def boards(store: SandboxStore, settings: SandboxSettings) -> list[Board]:
    if not settings.boards:
        return []
    return [
        Board(i, f"{p['key']} board", int(p["id"]), str(p["key"]), str(p["name"]))
        for i, p in enumerate(sorted(store.projects(), key=lambda p: int(p["id"])), 1)
    ]


def board(store: SandboxStore, settings: SandboxSettings, board_id: int) -> Board | None:
    return next((b for b in boards(store, settings) if b.id == board_id), None)


def sprints_of(b: Board) -> list[Sprint]:
    first = 3 * b.id - 2
    return [
        Sprint(first + i, f"{b.project_key} Sprint {first + i}", state, b.id)
        for i, state in enumerate(SPRINT_STATES)
    ]


def sprint(store: SandboxStore, settings: SandboxSettings, sprint_id: int) -> Sprint | None:
    return next((s for b in boards(store, settings) for s in sprints_of(b) if s.id == sprint_id), None)


def board_json(b: Board, base_url: str) -> dict[str, Any]:
    return {
        "id": b.id,
        "self": f"{base_url}/rest/agile/1.0/board/{b.id}",
        "name": b.name,
        "type": "scrum",
        "location": {
            "projectId": b.project_id,
            "projectKey": b.project_key,
            "projectName": b.project_name,
            "projectTypeKey": "software",
            "displayName": f"{b.project_name} ({b.project_key})",
            "name": f"{b.project_name} ({b.project_key})",
        },
    }


def sprint_json(s: Sprint, base_url: str) -> dict[str, Any]:
    """As the board's sprint list shows it (a future sprint has no dates yet, a closed one its completion)."""
    shown: dict[str, Any] = {
        "id": s.id,
        "self": f"{base_url}/rest/agile/1.0/sprint/{s.id}",
        "state": s.state,
        "name": s.name,
        "originBoardId": s.board_id,
        "goal": "",
    }
    if s.state != "future":
        shown["startDate"], shown["endDate"] = _DATES[s.state]
    if s.state == "closed":
        shown["completeDate"] = _DATES["closed"][1]
    return shown


def sprint_field_value(s: Sprint) -> dict[str, Any]:
    """How an issue's Sprint field reads back (it is written as the bare sprint id)."""
    shown: dict[str, Any] = {"id": s.id, "name": s.name, "state": s.state, "boardId": s.board_id, "goal": ""}
    if s.state != "future":
        shown["startDate"], shown["endDate"] = _DATES[s.state]
    return shown
