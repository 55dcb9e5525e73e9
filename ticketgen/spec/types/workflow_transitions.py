from __future__ import annotations

import re
from collections.abc import Hashable

from ticketgen.spec._utils import norm
from ticketgen.spec.model import Row
from ticketgen.spec.types.filetype import FileType
from ticketgen.spec.types.link import Link
from ticketgen.spec.types.workflows import workflow_link

# A transition is one component with one label and one target state, spread over one row per from-state.
CONSISTENT_COLUMNS = ("Label", "To state")


class WorkflowTransitions(FileType):
    def component_key(self, row: Row) -> tuple[str, str]:
        """(workflow, machine name): the transition, whichever from-state the row lists."""
        return norm(row.get("Workflow")), norm(row.get("Machine name"))

    def mentioned_roles(self, row: Row, role_labels: list[str]) -> list[str]:
        """Role labels named in the row's `Notes` ("Marketing editor and site admin can use"), longest first
        so that "Marketing Editor" is not also read as "Editor"."""
        notes = norm(row.get("Notes"))
        found = []
        for label in sorted(role_labels, key=len, reverse=True):
            pattern = rf"\b{re.escape(norm(label))}\b"
            if label and re.search(pattern, notes):
                found.append(label)
                notes = re.sub(pattern, " ", notes)
        return found


class StateLink(Link):
    """A state label, within the row's workflow."""

    def scope(self, row: Row) -> Hashable:
        return norm(row.get("Workflow"))

    def target_scope(self, row: Row) -> Hashable:
        return norm(row.get("Workflow"))

    def scope_words(self, row: Row) -> str:
        return f" for the workflow '{row.get('Workflow')}'"


WORKFLOW_TRANSITIONS = WorkflowTransitions(
    name="workflow_transitions",
    headers=("Workflow", "Label", "Machine name", "From state", "To state"),
    required=("Workflow", "Label", "Machine name", "From state", "To state"),
    key=("Workflow", "Machine name", "From state"),
    links=(
        workflow_link(),
        *(
            StateLink(
                column=column,
                target="workflow_states",
                target_columns=("Label", "Machine name"),
                hard=True,
                noun="workflow state",
            )
            for column in ("From state", "To state")
        ),
    ),
    ticket_kind="workflow",
    filename_hints=("transition",),
    label_column="Label",
)
