from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from ticketgen.drupal.names import suggest_field_name
from ticketgen.spec._utils import norm
from ticketgen.spec.entity import BundleRef, parse_bundle_ref
from ticketgen.spec.model import Row
from ticketgen.spec.types.bundles import LinkToBundles
from ticketgen.spec.types.filetype import FileType, RowIssue
from ticketgen.spec.types.link import Ref

BASE_FIELD = "-"  # machine name of a base field (title, name…): keyed by its label instead

KNOWN_FIELD_TYPES = frozenset(
    norm(t)
    for t in (
        "Address",
        "Boolean",
        "Color",
        "Comments",
        "Date",
        "Date range",
        "Daterange",
        "Email",
        "Entity label",
        "Entity reference",
        "Entity Reference Revisions",
        "Entity Reference Revisions (paragraphs)",
        "Paragraphs",
        "File",
        "Geolocation",
        "Image",
        "Link",
        "List (float)",
        "List (integer)",
        "List (text)",
        "Meta tags",
        "Metatag",
        "Name",
        "Number (decimal)",
        "Number (float)",
        "Number (integer)",
        "Office Hours",
        "Smart date range",
        "Smart date",
        "Telephone number",
        "Text (formatted)",
        "Text (formatted, long)",
        "Text (formatted, long, with summary)",
        "Text (plain)",
        "Text (plain, long)",
        "Timestamp",
        "Video embed",
        "Webform",
        "Layout section",
        "Viewfield",
        "Block (plugin)",
        "Block field",
        "Svg image",
        "Markup",
        "Computed",
        "Yoast SEO",
    )
)


@dataclass(frozen=True, slots=True)
class RefBundles:
    """What a `Ref. bundle` cell allows: everything, everything except something, or listed bundles."""

    all: bool
    exception: str  # the text after "All except", verbatim
    bundles: tuple[BundleRef, ...]


def split_top_level(cell: str) -> list[str]:
    """Split on commas outside parentheses: "A (Content type), B (Vocabulary)"."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(cell):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            parts.append(cell[start:i])
            start = i + 1
    parts.append(cell[start:])
    return [p.strip() for p in parts if p.strip()]


@lru_cache(maxsize=4096)  # the planner and the review ask about the same cells many times
def _ref_bundles(cell: str) -> RefBundles:
    lowered = norm(cell)
    if lowered == "all":
        return RefBundles(True, "", ())
    if lowered.startswith("all except"):
        return RefBundles(True, cell.strip()[len("all except") :].strip(), ())
    refs = (parse_bundle_ref(part) for part in split_top_level(cell))
    return RefBundles(False, "", tuple(ref for ref in refs if ref is not None))


class Fields(FileType):
    def bundle(self, row: Row) -> BundleRef | None:
        """The bundle from the `Bundle` column ("Label (Type)")."""
        return parse_bundle_ref(row.get("Bundle"))

    def entity_type(self, row: Row) -> str | None:
        ref = self.bundle(row)
        return ref.entity_type if ref else None

    def bundle_machine_name(self, row: Row) -> str:
        return row.get("Bundle machine name")

    def is_base_field(self, row: Row) -> bool:
        return row.get("Machine name") == BASE_FIELD

    def ref_bundles(self, row: Row) -> RefBundles:
        return _ref_bundles(row.get("Ref. bundle"))

    def key_cells(self, row: Row) -> tuple[tuple[str, str], ...]:
        machine = row.get("Machine name")
        field = (
            ("Field label", row.get("Field label")) if machine == BASE_FIELD else ("Machine name", machine)
        )
        return (("Bundle", row.get("Bundle")), ("Bundle machine name", row.get("Bundle machine name")), field)

    def key(self, row: Row) -> tuple[str, ...]:
        ref = self.bundle(row)
        bundle_type = (ref.entity_type or norm(ref.type_label)) if ref else ""
        machine = row.get("Machine name")
        field = f"-{norm(row.get('Field label'))}" if machine == BASE_FIELD else norm(machine)
        return (bundle_type, norm(row.get("Bundle machine name")), field)

    def machine_name(self, row: Row) -> str:
        machine = row.get("Machine name")
        return "" if machine == BASE_FIELD else machine

    def check_row(self, row: Row) -> Iterable[RowIssue]:
        field_type = row.get("Field type")
        if not field_type:
            yield RowIssue(
                "blank_field_type",
                "Field type",
                "",
                "Field type is blank, so the developer cannot tell what kind of field to create.",
                "Enter the Drupal field type, e.g. 'Text (plain)' or 'Entity reference'.",
            )
        elif norm(field_type) not in KNOWN_FIELD_TYPES:
            yield RowIssue(
                "unknown_field_type",
                "Field type",
                field_type,
                f"Field type '{field_type}' is not a Drupal field type this tool knows.",
                "Use the field type's name as Drupal's 'Add field' screen shows it, or ignore this warning "
                "if it is a contrib field type.",
            )
        bundle = self.bundle(row)
        if bundle is not None and bundle.entity_type is None:
            yield RowIssue(
                "unparsed_bundle",
                "Bundle",
                row.get("Bundle"),
                f"Bundle '{row.get('Bundle')}' does not say which kind of bundle it is.",
                "Write it as 'Label (Type)', e.g. 'Academic Program (Content type)'.",
            )

    def suggest_machine_name(self, value: str) -> str:
        return suggest_field_name(value)


class BundleLink(LinkToBundles):
    """`Bundle machine name`, within the entity type named in `Bundle`."""

    def scope(self, row: Row) -> Hashable:
        return FIELDS.entity_type(row)

    def scope_words(self, row: Row) -> str:
        bundle = FIELDS.bundle(row)
        return f" among its {bundle.type_label}s" if bundle and bundle.entity_type else ""


class RefBundleLink(LinkToBundles):
    """`Ref. bundle`: "Label (Type)" items by label within their type; `All`/`All except …` match anything."""

    def scope_words(self, row: Row) -> str:
        return " (matched by label and type)"

    def refs(self, row: Row) -> list[Ref]:
        allowed = FIELDS.ref_bundles(row)
        return [Ref(str(ref), norm(ref.label), ref.entity_type) for ref in allowed.bundles]

    def target_name(self, row: Row) -> str:
        return f"{row.get('Name')} ({row.get('Type')})"


FIELDS = Fields(
    name="fields",
    headers=(
        "Bundle",
        "Field label",
        "Machine name",
        "Field type",
        "Ref. bundle",
        "Req'd",
        "Vals.",
        "Form widget",
        "Bundle machine name",
    ),
    required=("Bundle", "Field label", "Machine name", "Field type", "Bundle machine name"),
    key=("Bundle", "Bundle machine name", "Machine name"),
    links=(
        BundleLink(
            column="Bundle machine name",
            target="bundles",
            target_columns=("Machine name",),
            hard=True,
            noun="bundle",
        ),
        RefBundleLink(
            column="Ref. bundle",
            target="bundles",
            target_columns=("Name",),
            hard=False,
            noun="bundle",
        ),
    ),
    ticket_kind="fields",
    filename_hints=("field",),
    label_column="Field label",
    machine_name_max=32,
)
