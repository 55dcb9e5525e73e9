from __future__ import annotations

from ticketgen.spec.types.filetype import FileType

USER_ROLES = FileType(
    name="user_roles",
    headers=("Name", "Machine name"),
    required=("Name", "Machine name"),
    key=("Machine name",),
    ticket_kind="user_role",
    filename_hints=("role",),
    label_column="Name",
)
