"""A draft's sections as the Jira issue shows them, each with a stable content hash.

This is what an export remembers per issue, so that a re-sync can say which parts of a description a
revised spec changes, and whether a person changed them in Jira since. The canonical form follows what
`ticketgen.adf.render` writes: the summary on one line, text with its line breaks normalised, every table
row padded to the header's width. Two things the description shows are left out because they change
without the spec changing: the source rows (a row inserted above shifts them), and the row numbers quoted
in questions, story, criteria and notes are masked in the hash for the same reason (so an issue whose only
change is a shifted row number keeps its old number). Build and verify is derived from the tables, so a change shows
there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ticketgen.drafts.model import Draft, Table
from ticketgen.markdown import padded_rows
from ticketgen.resync._utils import content_hash, lines, summary_text, without_row_numbers

SUMMARY = "summary"
QUESTIONS = "questions"
STORY = "story"
CRITERIA = "criteria"
NOTES = "notes"
TABLE_PREFIX = "table:"

TITLES = {
    SUMMARY: "Summary",
    QUESTIONS: "Open questions",
    STORY: "User story",
    CRITERIA: "Success criteria",
    NOTES: "Notes",
}


@dataclass(frozen=True, slots=True)
class Section:
    """`content` is JSON-able: a string, a list of strings, or a table as `{columns, rows}`."""

    name: str
    content: Any
    hash: str

    @property
    def is_table(self) -> bool:
        return self.name.startswith(TABLE_PREFIX)

    @property
    def title(self) -> str:
        if self.is_table:
            return f"Table “{self.name[len(TABLE_PREFIX) :]}”"
        return TITLES.get(self.name, self.name)


def section(name: str, content: Any) -> Section:
    """The hash is taken with quoted row numbers masked (tables are spreadsheet cells, kept verbatim)."""
    hashed = content if name.startswith(TABLE_PREFIX) else masked(content)
    return Section(name, content, content_hash(hashed))


def masked(content: Any) -> Any:
    if isinstance(content, str):
        return without_row_numbers(content)
    if isinstance(content, list):
        return [masked(item) for item in content]
    return content


def table_content(table: Table) -> dict[str, list[Any]]:
    header, *rows = padded_rows(table)
    return {"columns": [lines(c) for c in header], "rows": [[lines(c) for c in row] for row in rows]}


def sections_of(draft: Draft) -> dict[str, Section]:
    """Sections in description order; a part the description leaves out (no story, no notes) is absent."""
    found = [section(SUMMARY, summary_text(draft.summary))]
    messages = [str(q.get("message") or q.get("code") or "") for q in draft.questions]
    if messages:
        found.append(section(QUESTIONS, [_text(m) for m in messages]))
    if draft.user_story:
        found.append(section(STORY, _text(draft.user_story)))
    if draft.criteria:
        found.append(section(CRITERIA, [_text(c) for c in draft.criteria]))
    seen: dict[str, int] = {}
    for table in draft.tables:
        seen[table.title] = seen.get(table.title, 0) + 1
        suffix = f" ({seen[table.title]})" if seen[table.title] > 1 else ""
        found.append(section(f"{TABLE_PREFIX}{table.title}{suffix}", table_content(table)))
    if draft.notes:
        found.append(section(NOTES, [_text(n) for n in draft.notes]))
    return {s.name: s for s in found}


def section_hashes(draft: Draft) -> dict[str, str]:
    return {name: s.hash for name, s in sections_of(draft).items()}


def _text(text: str) -> str:
    return lines(text)
