"""The re-sync plan as Markdown, read like a pull request description: counts first, then per issue what
changes, down to the table cell."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ticketgen.markdown import cell_text, escape
from ticketgen.resync.diff import RowChange, SectionChange, item_changes

if TYPE_CHECKING:
    from ticketgen.resync.plan import Changed, Conflict, Link, New, Removed, ResyncPlan

_ROWS_SHOWN = 50


def plan_markdown(plan: ResyncPlan) -> str:
    counts = plan.counts()
    title = "Re-sync plan"
    if plan.meta.get("old") and plan.meta.get("new"):
        title += f": `{plan.meta['old']}` → `{plan.meta['new']}`"
    out = [f"# {title}", ""]
    out.append(
        f"**{plan.headline()}**; {_count(counts['links_add'], 'link')} to add, "
        f"{counts['links_remove']} to remove; {counts['unchanged']} unchanged"
        + (f", {counts['kept']} kept as edited in Jira." if plan.kept else ".")
    )
    if plan.is_empty:
        out += ["", "Nothing to do: the issues already match the spec."]
    if plan.conflicts:
        out += ["", "## Conflicts — edited in Jira since export", ""]
        for conflict in plan.conflicts:
            out += _conflict(conflict)
    if plan.changed:
        out += ["", "## Changed", ""]
        for change in plan.changed:
            out += _changed(change, level=3)
    if plan.new:
        out += ["", "## New", ""]
        out += [line for new in plan.new for line in _new(new)]
    if plan.removed:
        out += ["", "## Removed from the spec", ""]
        out += [line for removed in plan.removed for line in _removed(removed)]
    if plan.links_add or plan.links_remove:
        out += ["", "## Links", ""]
        out += [f"- add: {_link(link)}" for link in plan.links_add]
        out += [f"- remove: {_link(link)}" for link in plan.links_remove]
    return "\n".join(out).rstrip() + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def _issue(draft_key: str, issue_key: str | None) -> str:
    return f"{issue_key} (`{draft_key}`)" if issue_key else f"`{draft_key}`"


def _link(link: Link) -> str:
    return f"{_issue(link.blocker, link.blocker_issue)} blocks {_issue(link.blocked, link.blocked_issue)}"


def _conflict(conflict: Conflict) -> list[str]:
    edited = ", ".join(conflict.edited_sections)
    lines = _changed(conflict.change, level=3)
    lines[2:2] = [
        f"A person changed this issue in Jira since export ({escape(edited)}); it is not overwritten. "
        f"Choose: {' / '.join(f'`{c}`' for c in conflict.choices)}.",
        "",
    ]
    return lines


def _changed(change: Changed, *, level: int) -> list[str]:
    lines = [f"{'#' * level} {_issue(change.draft_key, change.issue_key)}: {escape(change.summary)}", ""]
    if change.action == "comment":
        labels = ", ".join(f"`{label}`" for label in change.labels)
        lines += ["Already Done: the changes go in a comment, with the label " + labels + ".", ""]
    for section in change.sections:
        lines += _section(section)
    return lines


def _section(section: SectionChange) -> list[str]:
    head = f"- **{escape(section.title)}** {section.change}"
    if section.rows or section.columns_added or section.columns_removed:
        lines = [head + ":"]
        lines += [f"  - column added: {escape(c)}" for c in section.columns_added]
        lines += [f"  - column removed: {escape(c)}" for c in section.columns_removed]
        lines += [f"  {line}" for line in _rows(section.rows)]
        return lines
    if section.change == "changed" and isinstance(section.new, str):
        return [f"{head}: ~~{escape(_flat(section.old))}~~ → {escape(_flat(section.new))}"]
    if isinstance(section.old, list) or isinstance(section.new, list):
        gone, added = item_changes(section.old, section.new)
        lines = [head + ":"]
        lines += [f"  - − {escape(_flat(item))}" for item in gone]
        lines += [f"  - + {escape(_flat(item))}" for item in added]
        return lines
    value = section.new if section.new is not None else section.old
    return [f"{head}: {escape(_flat(value))}"]


def _rows(rows: Sequence[RowChange]) -> list[str]:
    lines: list[str] = []
    for row in rows[:_ROWS_SHOWN]:
        if row.change == "changed":
            cells = "; ".join(
                f"{escape(c.column)}: `{cell_text(c.old) or '∅'}` → `{cell_text(c.new) or '∅'}`"
                for c in row.cells
            )
            lines.append(f"- row **{escape(row.key)}** changed: {cells}")
        else:
            sign = "+" if row.change == "added" else "−"
            lines.append(
                f"- {sign} row **{escape(row.key)}** {row.change}: {_cells(row.new or row.old or {})}"
            )
    if len(rows) > _ROWS_SHOWN:
        lines.append(f"- … and {len(rows) - _ROWS_SHOWN} more rows (see `--format json`)")
    return lines


def _code(text: str) -> str:
    """A cell as a code span, verbatim on one line; ∅ for an empty cell."""
    text = " ↵ ".join(line.strip() for line in text.splitlines()).strip()
    if not text:
        return "∅"
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _cells(cells: dict[str, str]) -> str:
    return "; ".join(f"{escape(k)}: {cell_text(v)}" for k, v in cells.items() if v.strip())


def _new(new: New) -> list[str]:
    lines = [f"- `{new.draft_key}`: {escape(new.summary)}"]
    lines += [f"  - link: {_link(link)}" for link in new.links]
    return lines


def _removed(removed: Removed) -> list[str]:
    return [
        f"- {_issue(removed.draft_key, removed.issue_key)}: {escape(removed.summary)} — {escape(removed.reason)}; "
        f"comment and label `{'`, `'.join(removed.labels)}`"
    ]


def _flat(value: Any) -> str:
    text = value if isinstance(value, str) else " / ".join(str(v) for v in value or [])
    return " ".join(text.split()) if len(text) < 400 else " ".join(text.split())[:399] + "…"
