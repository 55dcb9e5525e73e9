"""Helpers the review families share: which bundle a field row sits on, and what its cells clearly say.

Every reader here is strict on purpose: a cell that does not clearly say something reads as "unknown"
(None), and a rule that meets an unknown stays silent rather than raise a false alarm.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from ticketgen.drupal.names import usable_field
from ticketgen.planner._utils import machine, singular
from ticketgen.planner.entity import entity_type_id
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.spec._utils import is_error_value, norm
from ticketgen.spec.model import Row, SpecFile
from ticketgen.spec.types import FIELDS
from ticketgen.spec.types.fields import BASE_FIELD

Where = tuple[str, int]  # (file name, spreadsheet row): how a Question names a row

REUSED_COLUMN = "Reused Field"
_YES = frozenset({"y", "yes", "reused", "reuse", "existing"})
_NO = frozenset({"n", "no", "new"})
_UNLIMITED = frozenset({"*", "unlimited", "-1", "∞", "many", "multiple"})
_MACHINE_NAME = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True, slots=True)
class FieldRow:
    """A fields-sheet row with the bundle it belongs to resolved (the way the fields planner groups rows)."""

    file: SpecFile
    row: Row
    etype: str  # Drupal entity type id; "" when the Bundle cell names none
    bundle: str  # bundle machine name
    bundle_label: str
    bundle_entry: Bundle | None  # the bundles-sheet row, when there is one

    @property
    def at(self) -> Where:
        return (self.file.name, self.row.number)

    @property
    def label(self) -> str:
        return self.row.get("Field label")

    @property
    def field_type(self) -> str:
        return self.row.get("Field type")

    @property
    def machine_name(self) -> str:
        """The field's machine name; "" for a base field (`-`), a blank cell or a spreadsheet error."""
        name = self.row.get("Machine name")
        return "" if name == BASE_FIELD or is_error_value(name) else name

    @property
    def storage(self) -> tuple[str, str] | None:
        """(entity type, field machine name): the field storage the row uses. None when the row names no
        usable storage (base field, no entity type, or a name Drupal would refuse; the names family asks
        about those)."""
        name = self.machine_name
        name = usable_field(name) if name else ""
        if not self.etype or not _MACHINE_NAME.match(name):
            return None
        return (self.etype, name)

    @property
    def title(self) -> str:
        """How a message names the field: "Body on Job"."""
        return f"{self.label or self.machine_name or 'the field'} on {self.bundle_label or self.bundle}"


def field_rows(index: SpecIndex) -> list[FieldRow]:
    """Every fields-sheet row that names a bundle, in spec order."""
    return index.memo("review_field_rows", _field_rows)


def _field_rows(index: SpecIndex) -> list[FieldRow]:
    found: list[FieldRow] = []
    for file, row in index.spec.rows_of("fields"):
        resolved = _bundle_of(index, row)
        if resolved is not None:
            found.append(FieldRow(file, row, *resolved))
    return found


def _bundle_of(index: SpecIndex, row: Row) -> tuple[str, str, str, Bundle | None] | None:
    """Same resolution as the fields planner: machine name within the entity type, then the label."""
    ref = FIELDS.bundle(row)
    label, type_label = (ref.label, ref.type_label) if ref else ("", "")
    etype = entity_type_id(type_label) or ""
    mn = row.get("Bundle machine name")
    if is_error_value(mn):
        mn = ""
    bundle = index.bundle(etype, mn) if mn else None
    if bundle is None and label:
        bundle = index.bundle_by_label(label, type_label)
    if bundle is not None:
        return bundle.etype or "", bundle.machine_name, bundle.name, bundle
    if not (mn or label):
        return None
    return etype, mn or machine(label), label, None


def reused(row: Row) -> bool | None:
    """`Reused Field`: True (storage exists or another row creates it), False (this row creates it), None
    when the cell is blank, `-` or anything else unclear."""
    value = norm(row.get(REUSED_COLUMN))
    return True if value in _YES else False if value in _NO else None


def cardinality(row: Row) -> int | None:
    """`Vals.` as Drupal's cardinality: a count, -1 for unlimited, None when blank or unclear."""
    value = norm(row.get("Vals."))
    if value in _UNLIMITED:
        return -1
    return int(value) if value.isdigit() and int(value) > 0 else None


def cardinality_text(value: int) -> str:
    return "unlimited" if value == -1 else str(value)


def exists(index: SpecIndex, row: Row) -> bool:
    """The row's X code says the component is already on the site (no ticket)."""
    return row.status in index.codes.existing


def on_site(index: SpecIndex, f: FieldRow) -> bool:
    """The field is really on the site: marked d/x on a bundle that is itself there. A d row on a bundle
    being created is a contradiction (its own question), not evidence that the storage exists."""
    bundle = f.bundle_entry
    return exists(index, f.row) and (bundle is None or not index.ticketed(bundle.row))


BUNDLE_PLURALS = {
    "node": "content types",
    "media": "media types",
    "paragraph": "paragraph types",
    "taxonomy_term": "vocabularies",
    "block_content": "custom block types",
}


def bundles_noun(etype: str) -> str:
    """What a site builder calls the bundles of an entity type: "content types", "vocabularies"."""
    return BUNDLE_PLURALS.get(etype, etype)


def listing(items: Iterable[str], conj: str = "and") -> str:
    """Joins as prose: "A", "A and B", "A, B and C"; repeats dropped."""
    words = list(dict.fromkeys(i for i in items if i))
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conj} {words[-1]}"


def row_numbers(rows: Sequence[FieldRow]) -> str:
    """Rows as prose: "row 12", "rows 12, 40 and 52", or with file names when rows span files."""
    files = {r.file.name for r in rows}
    if len(files) > 1:
        return listing(f"{r.file.name} row {r.row.number}" for r in rows)
    numbers = [str(r.row.number) for r in rows]
    return f"row{'s' if len(numbers) > 1 else ''} {listing(numbers)}"


def bundle_names(rows: Sequence[FieldRow], limit: int = 5) -> str:
    """The rows' bundles as prose: all of them, or the first few and a count (the rows list the rest)."""
    labels = list(dict.fromkeys(f.bundle_label or f.bundle for f in rows))
    if len(labels) <= limit + 1:
        return listing(labels)
    return f"{', '.join(labels[:limit])} and {len(labels) - limit} more"


def say(rows: Sequence[FieldRow]) -> str:
    """The verb after bundle_names(rows)."""
    return "says" if len({f.bundle_label or f.bundle for f in rows}) == 1 else "say"


def one_per_bundle(rows: Sequence[FieldRow]) -> list[FieldRow]:
    """The first row of each bundle: a bundle listing a field twice is a duplicate row (the spec engine
    reports it), not a second field."""
    seen: dict[tuple[str, str], FieldRow] = {}
    for field in rows:
        seen.setdefault((field.etype, norm(field.bundle)), field)
    return list(seen.values())


def fields_by_bundle(index: SpecIndex) -> dict[tuple[str, str], list[FieldRow]]:
    """Every bundle's field rows by (entity type, bundle machine name), built once per review: several rule
    families compare the fields of one bundle. Read-only for its callers."""
    return index.memo(
        "review_fields_by_bundle",
        lambda ix: group_by(field_rows(ix), lambda f: (f.etype, f.bundle)),  # type: ignore[arg-type, return-value]
    )


def group_by(
    rows: Iterable[FieldRow], key: Callable[[FieldRow], Hashable | None]
) -> dict[Hashable, list[FieldRow]]:
    """Rows by what `key` reads from them, in first-seen order; rows it reads nothing from (None) left out."""
    groups: dict[Hashable, list[FieldRow]] = {}
    for field in rows:
        value = key(field)
        if value is not None:
            groups.setdefault(value, []).append(field)
    return groups


_NAMING_WORDS = frozenset(
    {"list", "lists", "library", "placer", "item", "items", "set", "paragraph", "block"}
)


def namesake(index: SpecIndex, label: str, etype: str, *, other_than: str = "") -> Bundle | None:
    """The bundle another bundle is named after ("Video Card List" → "Video Card Library"), of the target's entity
    type and not `other_than` (a bundle id): what a reference copied from a neighbouring row probably meant."""
    words = _name_words(label)
    if not words:
        return None
    return next(
        (
            b
            for b in index.bundles
            if b.etype == etype
            and b.id != other_than
            and index.ticketed(b.row)
            and _name_words(b.name) == words
        ),
        None,
    )


def _name_words(label: str) -> frozenset[str]:
    name = label.split("(")[0].casefold()  # "Video Card List (Paragraph type)": the name, not its kind
    return frozenset(singular(w) for w in re.findall(r"[a-z]+", name)) - _NAMING_WORDS


def clip(text: str, size: int) -> str:
    """A cell quoted in a question: whitespace folded, cut at a word before `size` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[: flat.rfind(" ", 0, size)] + " …"
