"""The plain-text comment that carries a spec change to an issue that is not edited: a Done issue, or a
conflict settled with "comment". One line per change, down to the cell, so a developer can act on it
without opening the spec."""

from __future__ import annotations

from typing import Any

from ticketgen.resync.diff import RowChange, SectionChange, item_changes

HEAD = "The spec changed since this issue was created:"
_LIST_ITEMS = 20


def change_comment(sections: tuple[SectionChange, ...], *, old_summary: str | None, summary: str) -> str:
    lines = [HEAD]
    for section in sections:
        if section.name == "summary" and old_summary is not None:
            lines.append(f"- Summary: “{old_summary}” → “{summary}”")
        elif section.rows or section.columns_added or section.columns_removed:
            lines.append(f"- {section.title} {section.change}:")
            lines += [f"  - column added: {c}" for c in section.columns_added]
            lines += [f"  - column removed: {c}" for c in section.columns_removed]
            lines += [f"  - {_row(row)}" for row in section.rows]
        else:
            lines += _text(section)
    return "\n".join(lines)


def _row(row: RowChange) -> str:
    if row.change == "changed":
        cells = "; ".join(f"{c.column}: “{_flat(c.old)}” → “{_flat(c.new)}”" for c in row.cells)
        return f"row {row.key}: {cells}"
    cells = "; ".join(f"{k}: {_flat(v)}" for k, v in (row.new or row.old or {}).items() if v.strip())
    return f"row {row.key} {row.change}: {cells}"


def _text(section: SectionChange) -> list[str]:
    old, new = section.old, section.new
    if isinstance(old, list) or isinstance(new, list):
        gone, added = item_changes(old, new)
        shown = [
            *(f"  - no longer: {_flat(item)}" for item in gone),
            *(f"  - now: {_flat(item)}" for item in added),
        ]
        more = len(shown) - _LIST_ITEMS
        return [f"- {section.title} {section.change}:", *shown[:_LIST_ITEMS]] + [f"  - … and {more} more"] * (
            more > 0
        )
    if section.change == "changed":
        return [f"- {section.title}: now “{_flat(new)}” (was “{_flat(old)}”)"]
    return [f"- {section.title} {section.change}: {_flat(new if new is not None else old)}"]


def _flat(value: Any) -> str:
    return " ".join(str(value).split())
