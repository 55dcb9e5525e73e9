from __future__ import annotations

from ticketgen.spec.types.filetype import FileType
from ticketgen.spec.types.workflows import workflow_link

WORKFLOW_STATES = FileType(
    name="workflow_states",
    headers=("Workflow", "Label", "Machine name"),
    required=("Workflow", "Label", "Machine name"),
    key=("Workflow", "Machine name"),
    links=(workflow_link(),),
    ticket_kind="workflow",
    filename_hints=("state",),
    label_column="Label",
)
