from __future__ import annotations

from ticketgen.spec.types.filetype import FileType

VIEWS = FileType(
    name="views",
    headers=("View name", "Machine name", "Base table", "Status", "Description"),
    required=("View name", "Machine name"),
    key=("Machine name",),
    ticket_kind="view",
    filename_hints=("view",),
    label_column="View name",
    machine_name_max=128,
)
