from __future__ import annotations

from ticketgen.spec.types.filetype import FileType
from ticketgen.spec.types.link import Link

WORKFLOWS = FileType(
    name="workflows",
    headers=("Label", "Machine name", "Type"),
    required=("Label", "Machine name"),
    key=("Machine name",),
    ticket_kind="workflow",
    filename_hints=("workflow",),
    label_column="Label",
)


def workflow_link() -> Link:
    """`Workflow` names a workflow by label (or machine name); shared by states and transitions."""
    return Link(
        column="Workflow",
        target="workflows",
        target_columns=("Label", "Machine name"),
        hard=True,
        noun="workflow",
    )
