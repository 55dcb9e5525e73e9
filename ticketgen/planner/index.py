"""Look-ups across the whole spec that several kinds of ticket need (bundles, statuses)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ticketgen.codes import DEFAULT_CODES, StatusCodes
from ticketgen.planner._utils import loose, machine, norm, singular, singular_words
from ticketgen.planner.entity import entity_type_id
from ticketgen.spec.entity import parse_bundle_ref
from ticketgen.spec.model import Row, Spec, SpecFile
from ticketgen.spec.types import FIELDS

T = TypeVar("T")

BuildStatus = str  # "new" | "on_hold" | "exists" | "not_planned"

BUILD_LABELS: dict[BuildStatus, str] = {
    "new": "New",
    "on_hold": "On hold",
    "exists": "Exists",
    "not_planned": "Not planned",
}


@dataclass(frozen=True, slots=True)
class Bundle:
    file: SpecFile
    row: Row
    name: str
    machine_name: str
    type_label: str
    etype: str

    @property
    def id(self) -> str:
        return f"{self.etype}.{self.machine_name}"


@dataclass(slots=True)
class SpecIndex:
    spec: Spec
    codes: StatusCodes = DEFAULT_CODES
    bundles: list[Bundle] = field(default_factory=list)
    _by_id: dict[tuple[str, str], Bundle] = field(default_factory=dict)
    _by_label: dict[tuple[str, str], Bundle] = field(default_factory=dict)
    _by_loose: dict[tuple[str, str], Bundle] = field(default_factory=dict)
    _memo: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for file, row in self.spec.rows_of("bundles"):
            mn = row.get("Machine name")
            type_label = row.get("Type")
            if not mn and not row.get("Name"):
                continue
            bundle = Bundle(file, row, row.get("Name"), mn, type_label, entity_type_id(type_label))
            self.bundles.append(bundle)
            self._by_id.setdefault((bundle.etype, machine(mn)), bundle)
            self._by_label.setdefault((norm(bundle.name), bundle.etype), bundle)
            self._by_loose.setdefault((loose(bundle.name), bundle.etype), bundle)

    def memo(self, name: str, compute: Callable[[SpecIndex], T]) -> T:
        """Spec-wide derived facts (paragraph families, storage owners) computed once per plan."""
        if name not in self._memo:
            self._memo[name] = compute(self)
        return self._memo[name]

    def status(self, row: Row) -> BuildStatus:
        # Row.status is stripped and lowered once per row: the code sets are read directly, ~30,000 times a plan
        code = row.status
        if code in self.codes.ticketed:
            return "on_hold" if code in self.codes.on_hold else "new"
        if code in self.codes.existing:
            return "exists"
        return "not_planned"

    def ticketed(self, row: Row) -> bool:
        return row.status in self.codes.ticketed

    def bundle(self, etype: str, machine_name: str) -> Bundle | None:
        return self._by_id.get((etype, machine(machine_name)))

    def bundle_by_label(self, label: str, type_label: str) -> Bundle | None:
        """Exact (normalised) label first, then punctuation-blind ("Landing page" = "Landing Page")."""
        etype = entity_type_id(type_label)
        return self._by_label.get((norm(label), etype)) or self._by_loose.get((loose(label), etype))

    def referenced_bundles(self, row: Row) -> list[Bundle]:
        """Targets of a field's `Ref. bundle`: listed "Label (Type)" items, `All`, or `All except …`.

        Soft: unknown targets are dropped. `All` ranges over the bundles of the entity type the field type
        names (`Entity Reference Revisions (paragraphs)`); without one there is nothing to depend on.
        """
        refs = FIELDS.ref_bundles(row)
        if refs.all:
            etype = _etype_from_field_type(row.get("Field type"))
            excluded = _words(refs.exception)
            return [
                b for b in self.bundles if b.etype == etype and not (excluded and _words(b.name) <= excluded)
            ]
        found: list[Bundle] = []
        for ref in refs.bundles:
            bundle = self.bundle_by_label(ref.label, ref.type_label) if ref.type_label else None
            if bundle and bundle not in found:
                found.append(bundle)
        return found

    def container_of(self, item: Bundle) -> Bundle | None:
        """The type an item type is named for: "Gallery Item" → "Gallery", "CTA Item" → "CTAs"."""
        name = norm(item.name)
        if not name.endswith(" item"):
            return None
        stem = name.removesuffix(" item")
        return next(
            (b for b in self.bundles if b.etype == item.etype and norm(b.name) in {stem, stem + "s"}), None
        )


def _words(text: str) -> set[str]:
    return set(singular_words(text))


def _etype_from_field_type(field_type: str) -> str:
    ref = parse_bundle_ref(field_type)
    hint = singular(norm(ref.type_label)) if ref else ""
    return {"paragraph": "paragraph", "node": "node", "media": "media", "taxonomy term": "taxonomy_term"}.get(
        hint, ""
    )
