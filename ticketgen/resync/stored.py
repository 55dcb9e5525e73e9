"""A re-sync plan read back from its JSON: the plan is shown, settled and approved before it is applied,
so it is stored in between and must come back exactly as it was computed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ticketgen.resync.diff import CellChange, RowChange, SectionChange
from ticketgen.resync.plan import Changed, Conflict, Link, New, Removed, ResyncPlan
from ticketgen.resync.spec_rows import SpecRow


def plan_from_dict(d: Mapping[str, Any]) -> ResyncPlan:
    return ResyncPlan(
        changed=tuple(_changed(c) for c in d.get("changed") or ()),
        new=tuple(
            New(n["draft_key"], n["kind"], n["summary"], tuple(_link(x) for x in n.get("links") or ()))
            for n in d.get("new") or ()
        ),
        removed=tuple(_removed(r) for r in d.get("removed") or ()),
        links_add=tuple(_link(x) for x in d.get("links_add") or ()),
        links_remove=tuple(_link(x) for x in d.get("links_remove") or ()),
        conflicts=tuple(
            Conflict(
                _changed(c["change"]), tuple(c["edited_sections"]), tuple(c["choices"]), c.get("jira_hashes")
            )
            for c in d.get("conflicts") or ()
        ),
        unchanged=int(d.get("unchanged") or 0),
        meta=dict(d.get("meta") or {}),
        kept=tuple(d.get("kept") or ()),
        taken=tuple(d.get("taken") or ()),
        seen={key: dict(hashes) for key, hashes in (d.get("seen") or {}).items()},
    )


def _link(d: Mapping[str, Any]) -> Link:
    return Link(d["blocker"], d["blocked"], d.get("blocker_issue"), d.get("blocked_issue"))


def _changed(d: Mapping[str, Any]) -> Changed:
    return Changed(
        d["draft_key"],
        d.get("issue_key"),
        d["summary"],
        d.get("old_summary"),
        tuple(_section(s) for s in d.get("sections") or ()),
        d.get("action") or "update",
        tuple(d.get("labels") or ()),
        d.get("comment") or "",
    )


def _section(d: Mapping[str, Any]) -> SectionChange:
    return SectionChange(
        d["name"],
        d["title"],
        d["change"],
        d.get("old"),
        d.get("new"),
        tuple(_row(r) for r in d.get("rows") or ()),
        tuple(d.get("columns_added") or ()),
        tuple(d.get("columns_removed") or ()),
    )


def _row(d: Mapping[str, Any]) -> RowChange:
    cells = tuple(CellChange(c["column"], c["old"], c["new"]) for c in d.get("cells") or ())
    return RowChange(d["key"], d["change"], d.get("old"), d.get("new"), cells)


def _removed(d: Mapping[str, Any]) -> Removed:
    row = d.get("row")
    return Removed(
        d["draft_key"],
        d.get("issue_key"),
        d["summary"],
        d["reason"],
        None if row is None else SpecRow.from_dict(row),
        d["comment"],
        tuple(d.get("labels") or ()),
    )
