"""What an export remembers per issue, and what Jira says about that issue now."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ticketgen.drafts.model import Draft
from ticketgen.resync.read_back import Node, read_back
from ticketgen.resync.sections import Section, section, sections_of
from ticketgen.resync.spec_rows import SpecRow


@dataclass(frozen=True, slots=True)
class Exported:
    """One issue an export created: its draft, the sections it was created with, the draft keys of the
    issues linked as its blockers, and the spec row it came from. `sent`: the hashes of the description as
    sent, read back (`read_back`), when it differs from the draft's sections (shortened for the budget);
    what Jira's description is compared with to tell a person's edit."""

    draft_key: str
    issue_key: str | None
    sections: Mapping[str, Section]
    blockers: tuple[str, ...] = ()
    row: SpecRow | None = None
    sent: Mapping[str, str] | None = None

    @property
    def summary(self) -> str:
        found = self.sections.get("summary")
        return str(found.content) if found else ""

    def hashes(self) -> dict[str, str]:
        return {name: s.hash for name, s in self.sections.items()}

    def sent_hashes(self) -> dict[str, str]:
        return dict(self.sent) if self.sent is not None else self.hashes()

    def to_dict(self) -> dict[str, Any]:
        return {
            "draft_key": self.draft_key,
            "issue_key": self.issue_key,
            "sections": {name: s.content for name, s in self.sections.items()},
            "hashes": self.hashes(),
            "blockers": list(self.blockers),
            "row": None if self.row is None else self.row.to_dict(),
            "sent": None if self.sent is None else dict(self.sent),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Exported:
        sections = {name: section(name, content) for name, content in d["sections"].items()}
        row = d.get("row")
        return cls(
            d["draft_key"],
            d.get("issue_key"),
            sections,
            tuple(d.get("blockers") or ()),
            None if row is None else SpecRow.from_dict(row),
            d.get("sent"),
        )


def exported(
    draft: Draft, *, issue_key: str | None = None, row: SpecRow | None = None, description: Node | None = None
) -> Exported:
    """`description`: the ADF the issue was created with, when known (the export has it)."""
    sections = sections_of(draft)
    sent = None
    if description is not None:
        hashes = read_back(draft.summary, description).hashes
        sent = None if hashes == {name: s.hash for name, s in sections.items()} else hashes
    return Exported(draft.key, issue_key, sections, tuple(draft.depends_on), row, sent)


@dataclass(frozen=True, slots=True)
class IssueState:
    """The issue in Jira now. `hashes`: its current sections' hashes, when the description was read back;
    `edited`: a person changed the description (from its history) when the hashes are not known."""

    hashes: Mapping[str, str] | None = None
    edited: bool = False
    done: bool = False  # status category "done"

    def edited_sections(self, record: Exported) -> list[str]:
        """The sections a person changed since export; `["description"]` when only the flag says so."""
        if self.hashes is not None:
            remembered = record.sent_hashes()
            names = [*remembered, *(n for n in self.hashes if n not in remembered)]
            changed = [n for n in names if remembered.get(n) != self.hashes.get(n)]
            if changed:
                return changed
        return ["description"] if self.edited else []
