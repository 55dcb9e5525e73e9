from __future__ import annotations

from collections.abc import Hashable

from ticketgen.spec._utils import norm, split_list
from ticketgen.spec.entity import entity_type_id
from ticketgen.spec.model import Row
from ticketgen.spec.types.bundles import LinkToBundles
from ticketgen.spec.types.filetype import FileType
from ticketgen.spec.types.link import Link, Ref


class ViewModes(FileType):
    def entity_type(self, row: Row) -> str | None:
        return entity_type_id(row.get("Entity Type"))

    def used_on(self, row: Row) -> list[str]:
        """Bundle labels from `Entities Used On`."""
        return split_list(row.get("Entities Used On"))

    def style_reference(self, row: Row) -> tuple[str, str] | None:
        """(file type, label) of the style the notes say this view mode renders with, if any.

        The spec says so in prose ("set to matching responsive image style"); the match is by label."""
        notes = norm(row.get("Notes"))
        if "responsive image style" in notes:
            return ("responsive_image_styles", row.get("View Modes"))
        if "image style" in notes:
            return ("image_styles", row.get("View Modes"))
        return None


class UsedOnLink(LinkToBundles):
    def scope(self, row: Row) -> Hashable:
        return VIEW_MODES.entity_type(row)

    def scope_words(self, row: Row) -> str:
        return f" among its {row.get('Entity Type')}s" if VIEW_MODES.entity_type(row) else ""


class StyleLink(Link):
    """View mode label ↔ style label, where the notes ask for the matching style."""

    def refs(self, row: Row) -> list[Ref]:
        reference = VIEW_MODES.style_reference(row)
        if reference is None or reference[0] != self.target or not reference[1]:
            return []
        return [Ref(reference[1], norm(reference[1]))]


VIEW_MODES = ViewModes(
    name="view_modes",
    headers=("View Modes", "Entity Type", "Entities Used On", "Format"),
    required=("View Modes", "Entity Type"),
    key=("Entity Type", "View Modes"),
    links=(
        UsedOnLink(
            column="Entities Used On",
            target="bundles",
            target_columns=("Name",),
            hard=False,
            noun="bundle",
            many=True,
        ),
        StyleLink(
            column="View Modes",
            target="responsive_image_styles",
            target_columns=("Responsive style", "Machine Name"),
            hard=False,
            noun="responsive image style",
        ),
        StyleLink(
            column="View Modes",
            target="image_styles",
            target_columns=("Style name", "Machine name"),
            hard=False,
            noun="image style",
        ),
    ),
    ticket_kind="view_modes",
    filename_hints=("viewmode",),
    label_column="View Modes",
    machine_name_column=None,
)
