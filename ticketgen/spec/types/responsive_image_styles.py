from __future__ import annotations

from collections.abc import Iterable

from ticketgen.spec._utils import norm, split_list
from ticketgen.spec.model import Row
from ticketgen.spec.types.filetype import FileType
from ticketgen.spec.types.image_styles import family
from ticketgen.spec.types.link import Link


class ResponsiveImageStyles(FileType):
    def fallback(self, row: Row) -> str:
        """Machine name of the fallback image style."""
        return row.get("Fallback machine name")

    def style_groups(self, row: Row) -> list[str]:
        """Labels from `Image Style Group(s)` (style names, machine names or family names)."""
        return split_list(row.get("Image Style Group(s)"))


class StyleGroupLink(Link):
    """`Image Style Group(s)` names styles by label, machine name or family (`42x42` for its variants)."""

    def target_keys(self, row: Row) -> Iterable[str]:
        yield from super().target_keys(row)
        yield norm(family(row.get("Style name")))


RESPONSIVE_IMAGE_STYLES = ResponsiveImageStyles(
    name="responsive_image_styles",
    headers=(
        "Responsive style",
        "Machine Name",
        "Breakpoint Group",
        "Breakpoints Used",
        "Fallback Style",
        "Image Style Group(s)",
        "Fallback machine name",
    ),
    required=("Responsive style", "Machine Name", "Fallback machine name"),
    key=("Machine Name",),
    links=(
        Link(
            column="Fallback machine name",
            target="image_styles",
            target_columns=("Machine name",),
            hard=True,
            noun="image style",
        ),
        StyleGroupLink(
            column="Image Style Group(s)",
            target="image_styles",
            target_columns=("Style name", "Machine name"),
            hard=False,
            noun="image style",
            many=True,
        ),
    ),
    ticket_kind="responsive_image_style",
    filename_hints=("responsive",),
    label_column="Responsive style",
    machine_name_column="Machine Name",
)
