"""Re-sync: what a revised spec changes in the issues an export already created (issue 15). Pure: the
export records, the revised drafts and Jira's state come in; a plan comes out."""

from ticketgen.resync.diff import CellChange, RowChange, SectionChange, diff_rows, diff_sections
from ticketgen.resync.notes import NOTE_PROPERTY, Note, UnsettledPlan, comment_adf, note_marker, notes_of
from ticketgen.resync.plan import (
    CHANGED_LABEL,
    CHOICES,
    REMOVED_LABEL,
    Changed,
    Conflict,
    Link,
    New,
    Removed,
    ResyncPlan,
    headline_of,
    plan_resync,
)
from ticketgen.resync.read_back import ReadBack, read_back
from ticketgen.resync.record import Exported, IssueState, exported
from ticketgen.resync.resolve import UnknownChoice, chosen, conflicts_as_made, resolve, settle
from ticketgen.resync.sections import Section, section_hashes, sections_of
from ticketgen.resync.spec_rows import SpecRow, locate, primary_rows

__all__ = [
    "CHANGED_LABEL",
    "CHOICES",
    "NOTE_PROPERTY",
    "REMOVED_LABEL",
    "CellChange",
    "Changed",
    "Conflict",
    "Exported",
    "IssueState",
    "Link",
    "New",
    "Note",
    "ReadBack",
    "Removed",
    "ResyncPlan",
    "RowChange",
    "Section",
    "SectionChange",
    "SpecRow",
    "UnknownChoice",
    "UnsettledPlan",
    "chosen",
    "comment_adf",
    "conflicts_as_made",
    "diff_rows",
    "diff_sections",
    "exported",
    "headline_of",
    "locate",
    "note_marker",
    "notes_of",
    "plan_resync",
    "primary_rows",
    "read_back",
    "resolve",
    "section_hashes",
    "sections_of",
    "settle",
]
