"""The spec row behind a draft, remembered at export so that a re-sync can say why an issue left the spec:
its row is now marked `d`/`x`, or it is gone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ticketgen.drafts.model import Draft
from ticketgen.spec.model import Spec
from ticketgen.spec.types import get


@dataclass(frozen=True, slots=True)
class SpecRow:
    file: str
    row: int
    type: str  # the spec file type ("bundles", "fields", ...)
    key: tuple[str, ...]  # the row's identity within its type, normalised
    status: str  # the X cell, lowered
    cells: Mapping[str, str] = field(default_factory=dict)

    def where(self) -> str:
        return f"{self.file} row {self.row}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "type": self.type,
            "key": list(self.key),
            "status": self.status,
            "cells": dict(self.cells),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SpecRow:
        return cls(d["file"], int(d["row"]), d["type"], tuple(d["key"]), d["status"], dict(d["cells"]))


def primary_rows(spec: Spec, drafts: list[Draft]) -> dict[str, SpecRow]:
    """Each draft's first source row (for a bundle, its row in the bundles sheet)."""
    located: dict[tuple[str, int], SpecRow] = {}
    for file in spec.files:
        file_type = get(file.type)
        if file_type is None:
            continue
        for row in file.rows:
            cells = {name: value for name, value in row.cells.items() if value.strip()}
            located[file.name, row.number] = SpecRow(
                file.name, row.number, file_type.name, file_type.key(row), row.status, cells
            )
    found: dict[str, SpecRow] = {}
    for draft in drafts:
        first = next((s for s in draft.sources if s.rows), None)
        if first is not None and (spec_row := located.get((first.file, first.rows[0]))) is not None:
            found[draft.key] = spec_row
    return found


def locate(spec: Spec, rows: Mapping[str, SpecRow]) -> dict[str, SpecRow | None]:
    """Where each remembered row is in a revised spec, matched by type and key (rows move; keys do not)."""
    by_key: dict[tuple[str, tuple[str, ...]], SpecRow] = {}
    for file in spec.files:
        file_type = get(file.type)
        if file_type is None:
            continue
        for row in file.rows:
            identity = (file_type.name, file_type.key(row))
            if identity not in by_key:
                cells = {name: value for name, value in row.cells.items() if value.strip()}
                by_key[identity] = SpecRow(file.name, row.number, *identity, row.status, cells)
    return {draft_key: by_key.get((old.type, old.key)) for draft_key, old in rows.items()}


def gone_rows(
    *, old: Mapping[str, Any], new: Mapping[str, Any], drafts: list[Draft]
) -> tuple[dict[str, SpecRow], dict[str, SpecRow | None]]:
    """For drafts that left the spec: the row each came from in the `old` spec, and that row in the `new`
    one (None: gone), so the comment on its issue can say why and quote the row. `old` and `new` are spec
    inputs as a batch stores them: `files` (name, bytes), `codes`, `overrides`."""
    from ticketgen.spec import load

    def spec(given: Mapping[str, Any]) -> Spec:
        return load(given["files"], codes=given["codes"], overrides=given.get("overrides") or None)

    was = primary_rows(spec(old), drafts)
    return was, locate(spec(new), was)
