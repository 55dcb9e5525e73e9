from __future__ import annotations

from ticketgen.spec.model import Row
from ticketgen.spec.types.filetype import FileType
from ticketgen.spec.types.link import Link


class ViewDisplays(FileType):
    def view_id(self, row: Row) -> str:
        """Machine name of the view the display belongs to."""
        return row.get("View ID")


VIEW_DISPLAYS = ViewDisplays(
    name="view_displays",
    headers=("View", "Title", "Machine name", "Display plugin", "View ID"),
    required=("View", "Machine name", "View ID"),
    key=("View ID", "Machine name"),
    links=(Link(column="View ID", target="views", target_columns=("Machine name",), hard=True, noun="view"),),
    ticket_kind="view",
    filename_hints=("display",),
    label_column="Title",
)
