"""What every kind of ticket shares: its rows, where they came from, and the blockers it asks for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from ticketgen.drafts.model import Draft, Source
from ticketgen.planner._utils import machine, norm
from ticketgen.planner.index import SpecIndex
from ticketgen.spec.model import Row, SpecFile

ON_HOLD = "on-hold"
SUMMARY_LIMIT = 255

Cited = list[tuple[SpecFile, Row]]


@dataclass(slots=True)
class Planned:
    """A draft plus the keys it wants as blockers; only those that become tickets turn into edges."""

    draft: Draft
    blockers: list[str] = field(default_factory=list)


class _Container(Protocol):
    rows: Cited


Container = TypeVar("Container", bound=_Container)


def containers(
    index: SpecIndex, type_name: str, label_column: str, make: Callable[[str, str], Container]
) -> tuple[dict[str, Container], dict[str, str]]:
    """Container rows (views, workflows) by machine name, plus the same slots by label.

    Child sheets (displays, states, transitions) name their container by label or by machine name, and
    a container without a machine name is keyed by its label as Drupal would normalise it.
    """
    found: dict[str, Container] = {}
    by_label: dict[str, str] = {}
    for file, row in index.spec.rows_of(type_name):
        mn = row.get("Machine name") or machine(row.get(label_column))
        if not mn:
            continue
        found.setdefault(machine(mn), make(mn, row.get(label_column))).rows.append((file, row))
        by_label.setdefault(norm(row.get(label_column)), machine(mn))
    return found, by_label


def ticketed_rows_by(index: SpecIndex, type_name: str, key_column: str) -> dict[str, Cited]:
    """Rows of one sheet by their key cell (a repeated key cites every row), for keys that get a ticket."""
    found: dict[str, Cited] = {}
    for file, row in index.spec.rows_of(type_name):
        if key := row.get(key_column):
            found.setdefault(key, []).append((file, row))
    return {key: cited for key, cited in found.items() if any_ticketed(index, cited)}


def sources(cited: Cited) -> list[Source]:
    by_file: dict[str, list[int]] = {}
    for file, row in cited:
        numbers = by_file.setdefault(file.name, [])
        if row.number not in numbers:
            numbers.append(row.number)
    return [Source(file=name, rows=sorted(numbers)) for name, numbers in by_file.items()]


def by_file(cited: Cited) -> list[tuple[SpecFile, list[Row]]]:
    """Rows of one component grouped per file, in spec order (tables are per sheet: columns differ)."""
    groups: dict[str, tuple[SpecFile, list[Row]]] = {}
    for file, row in cited:
        groups.setdefault(file.name, (file, []))[1].append(row)
    return list(groups.values())


def any_ticketed(index: SpecIndex, cited: Cited) -> bool:
    return any(index.ticketed(row) for _, row in cited)


def hold_labels(index: SpecIndex, cited: Cited) -> list[str]:
    """On hold only when every ticketed row waits on a decision; mixed containers say so in their notes."""
    statuses = [index.status(row) for _, row in cited if index.ticketed(row)]
    return [ON_HOLD] if statuses and all(s == "on_hold" for s in statuses) else []


def held_note(index: SpecIndex, cited: Cited, describe: str, *name_columns: str) -> list[str]:
    statuses = [index.status(row) for _, row in cited if index.ticketed(row)]
    held = [
        next((row.get(c) for c in name_columns if row.get(c)), f"row {row.number}")
        for _, row in cited
        if index.status(row) == "on_hold"
    ]
    if not held or all(s == "on_hold" for s in statuses):
        return []
    return [
        f"On hold pending a decision (build the rest now): {' '.join(filter(None, [describe, ', '.join(held)]))}."
    ]


def summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1].rstrip() + "…"


def spec_notes(*values: str) -> list[str]:
    return [v.strip() for v in values if v and v.strip()]


def make_draft(
    index: SpecIndex,
    *,
    kind: str,
    id: str,
    title: str,
    tables: list,
    cited: Cited,
    notes: list[str],
    facts: dict,
) -> Draft:
    return Draft(
        key=f"{kind}:{id}",
        kind=kind,
        summary=summary(title),
        tables=tables,
        sources=sources(cited),
        notes=notes,
        labels=hold_labels(index, cited),
        facts=facts,
    )
