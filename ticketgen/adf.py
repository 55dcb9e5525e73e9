"""Drafts as Atlassian Document Format (ADF), within Jira's description budget.

Every document must pass `validate_adf` (Atlassian's own schema, see `ticketgen.schemas.adf`) before it
leaves. Descriptions over the budget keep what a developer reads first (open questions, story, criteria,
build and verify) and move the full content to a Markdown attachment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ticketgen.drafts.model import Draft, Table
from ticketgen.markdown import (
    BUILD_TITLE,
    ON_HOLD,
    QUESTIONS_TITLE,
    draft_markdown,
    has_build,
    padded_rows,
    question_rows,
    row_count,
    source_line,
    split_lines,
    verify_parts,
)
from ticketgen.schemas.adf import adf_schema, validate_adf

__all__ = [
    "BUDGET",
    "Attachment",
    "Description",
    "adf_schema",
    "adf_size",
    "description_for",
    "render",
    "validate_adf",
]

Node = dict[str, Any]

BUDGET = 30_000  # characters of compact serialized ADF; Jira's hard limit is 32,767


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    content: bytes
    size: int


@dataclass(frozen=True, slots=True)
class Description:
    adf: Node
    attachment: Attachment | None = None


# ---- nodes -------------------------------------------------------------------------------------------


def inline(text: str, marks: tuple[str, ...] = ()) -> list[Node]:
    """Text as inline nodes: line breaks become `hardBreak`, and no text node is ever empty."""
    nodes: list[Node] = []
    for i, line in enumerate(split_lines(text)):
        if i:
            nodes.append({"type": "hardBreak"})
        if line:
            node: Node = {"type": "text", "text": line}
            if marks:
                node["marks"] = [{"type": m} for m in marks]
            nodes.append(node)
    return nodes


def paragraph(*content: Node) -> Node:
    node: Node = {"type": "paragraph"}
    if content:
        node["content"] = list(content)
    return node


def heading(text: str, level: int = 3) -> Node:
    return {"type": "heading", "attrs": {"level": level}, "content": inline(text)}


def bullet_list(items: list[list[Node]]) -> Node:
    return {
        "type": "bulletList",
        "content": [{"type": "listItem", "content": [paragraph(*i)]} for i in items],
    }


def task_list(items: list[str], local_id: str) -> Node:
    """A checklist (Jira renders `taskList` as action items). Ids are deterministic: same draft, same doc."""
    return {
        "type": "taskList",
        "attrs": {"localId": local_id},
        "content": [
            {
                "type": "taskItem",
                "attrs": {"localId": f"{local_id}-{i}", "state": "TODO"},
                "content": inline(t),
            }
            for i, t in enumerate(items, 1)
        ],
    }


def _cell(kind: str, text: str) -> Node:
    return {"type": kind, "content": [paragraph(*inline(text))]}


def table(t: Table) -> Node:
    header, *body = padded_rows(t)
    rows = [{"type": "tableRow", "content": [_cell("tableHeader", c) for c in header]}]
    rows += [{"type": "tableRow", "content": [_cell("tableCell", c) for c in cells]} for cells in body]
    return {"type": "table", "attrs": {"isNumberColumnEnabled": False, "layout": "default"}, "content": rows}


def _keys(keys: list[str]) -> list[Node]:
    out: list[Node] = []
    for i, key in enumerate(keys):
        if i:
            out.append({"type": "text", "text": ", "})
        out.extend(inline(key, ("code",)))
    return out


def doc(content: list[Node]) -> Node:
    return {"type": "doc", "version": 1, "content": content or [paragraph()]}


# ---- drafts ------------------------------------------------------------------------------------------

# Verify entries that close every ticket (export, then a clean status): kept when the list is trimmed.
_CLOSING = re.compile(r"^drush\s+(?:config:export|cex|config:status|cst)\b")


def _local_id(draft: Draft) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", draft.key).strip("-") or "draft"


def panel(panel_type: str, content: list[Node]) -> Node:
    return {"type": "panel", "attrs": {"panelType": panel_type}, "content": content}


def ordered_list(items: list[list[Node]]) -> Node:
    return {
        "type": "orderedList",
        "attrs": {"order": 1},
        "content": [{"type": "listItem", "content": [paragraph(*i)]} for i in items],
    }


def _label(text: str) -> Node:
    return paragraph(*inline(text, ("strong",)))


def _more(count: int, what: str, name: str) -> str:
    return f"… and {count} more {what} in {name}." if count else ""


def _questions(questions: Sequence[Mapping[str, Any]], more: str = "") -> list[Node]:
    """The warning panel that opens the description: each doubt with the spec rows it is about."""
    if not questions and not more:
        return []
    items = []
    for question in questions:
        item = inline(str(question.get("message") or question.get("code") or ""))
        rows = question_rows(question)
        if rows:
            item += [{"type": "hardBreak"}, *inline(f"Spec: {rows}", ("em",))]
        items.append(item)
    if more:
        items.append(inline(more))
    return [panel("warning", [_label(QUESTIONS_TITLE), bullet_list(items)])]


def _head(draft: Draft, criteria: list[str], story: str) -> list[Node]:
    content: list[Node] = []
    if ON_HOLD in draft.labels:
        content.append(paragraph(*inline("On hold:", ("strong",)), *inline(" waiting on a decision.")))
    if story:
        content += [heading("User story"), paragraph(*inline(story))]
    if criteria:
        content += [heading("Success criteria"), task_list(criteria, f"{_local_id(draft)}-criteria")]
    return content


def _verify_item(entry: Mapping[str, Any]) -> list[Node]:
    check, command, expect = verify_parts(entry)
    item = inline(check)
    how = [part for part in (command, expect) if part]
    if check and how:
        item.append({"type": "text", "text": ": "})
    for i, part in enumerate(how):
        if i:
            item.append({"type": "text", "text": " → "})
        item += inline(part, ("code",))
    return item


def _build(draft: Draft, shown: int | None = None, name: str = "") -> list[Node]:
    """Build and verify. `shown` caps the config objects and the checks (the closing steps always stay)."""
    if not has_build(draft):
        return []
    config = draft.config if shown is None else draft.config[:shown]
    closing = [v for v in draft.verify if _CLOSING.match(verify_parts(v)[1])]
    checks = [v for v in draft.verify if v not in closing]
    kept = checks if shown is None else checks[:shown]
    content = [heading(BUILD_TITLE)]
    if draft.modules:
        content.append(paragraph(*inline("Modules to enable: ", ("strong",)), *_keys(draft.modules)))
    if draft.admin_path:
        content.append(paragraph(*inline("Where: ", ("strong",)), *inline(draft.admin_path, ("code",))))
    if draft.config:
        items = [inline(c, ("code",)) for c in config]
        more = _more(len(draft.config) - len(config), "config objects", name)
        content += [_label("Configuration this produces"), bullet_list(items + [inline(more)] * bool(more))]
    if draft.verify:
        more = _more(len(checks) - len(kept), "checks", name)
        items = [_verify_item(v) for v in kept] + [inline(more)] * bool(more)
        content += [_label("Verify"), ordered_list(items + [_verify_item(v) for v in closing])]
    return content


def _trace(draft: Draft) -> list[Node]:
    """Where in the spec the ticket comes from. Its Blocks relations are not written here: the issue's
    Jira links show them with issue keys and live status, and a draft key (`fields:node.page`) means
    nothing to the developer reading the issue."""
    if not draft.sources:
        return []
    return [heading("Source"), bullet_list([inline(source_line(s)) for s in draft.sources])]


def render(draft: Draft) -> Node:
    """The full description: open questions, story, criteria, build and verify, configuration tables,
    notes, source."""
    content = [*_questions(draft.questions), *_head(draft, list(draft.criteria), draft.user_story)]
    content += _build(draft)
    if draft.tables:
        content.append(heading("Configuration reference"))
        for t in draft.tables:
            if t.title:
                content.append(heading(t.title, 4))
            content.append(table(t))
    if draft.notes:
        content += [heading("Notes"), bullet_list([inline(n) for n in draft.notes])]
    return doc(content + _trace(draft))


def adf_size(adf: Node) -> int:
    """What the budget counts: characters of compact JSON."""
    return len(json.dumps(adf, ensure_ascii=False, separators=(",", ":")))


def attachment_name(draft: Draft) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", draft.key).strip("-.")[:120] or "draft"
    return f"{stem}.md"


def _pointer(draft: Draft, name: str) -> Node:
    rows, count = row_count(draft), len(draft.tables)
    what = "The full configuration table" if count <= 1 else f"The {count} full configuration tables"
    what += f" ({rows} row{'s' * (rows != 1)})" + (" and the notes" if draft.notes else "")
    verb = "are" if count > 1 or draft.notes else "is"
    return paragraph(*inline(f"{what} {verb} attached as "), *inline(name, ("code",)), *inline("."))


def _most_that_fit(build: Callable[[int], Node], high: int, budget: int) -> int:
    """The largest count in 0..high whose document fits, by bisection (size grows with the count)."""
    low = 0
    while low < high:
        middle = (low + high + 1) // 2
        if adf_size(build(middle)) <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _reduced(draft: Draft, name: str, budget: int) -> Node:
    """Open questions, story, criteria, build and verify, and a pointer to the attachment. When even those
    are too long, the story is shortened to a third of the budget (a criterion or question to a tenth), and
    the long lists (criteria, config objects, checks) are cut to the same length, each ending in a line
    saying how many more the attachment holds; then the sources go; then the questions
    are cut too; last, only questions, story and pointer stay."""
    story = _clip(draft.user_story, budget // 3)
    every = [_clip(c, budget // 10) for c in draft.criteria]
    asked = [{**q, "message": _clip(str(q.get("message") or ""), budget // 10)} for q in draft.questions]
    longest = max(len(every), len(draft.config), len(draft.verify))

    def questions(shown: int) -> list[Node]:
        return _questions(asked[:shown], _more(len(asked) - len(asked[:shown]), "open questions", name))

    for all_questions, trace in ((True, _trace(draft)), (True, []), (False, [])):

        def build(shown: int, all_questions: bool = all_questions, trace: list[Node] = trace) -> Node:
            criteria = every[:shown]
            more = _more(len(every) - len(criteria), "criteria", name)
            return doc([
                *questions(len(asked) if all_questions else shown),
                *_head(draft, criteria + [more] * bool(more), story),
                *_build(draft, shown, name),
                _pointer(draft, name),
                *trace,
            ])  # fmt: skip

        adf = build(_most_that_fit(build, longest if all_questions else max(longest, len(asked)), budget))
        if adf_size(adf) <= budget:
            return adf

    def bare(shown: int) -> Node:
        return doc([*questions(shown), *_head(draft, [], story[:2000]), _pointer(draft, name)])

    return bare(_most_that_fit(bare, len(draft.questions), budget))


def description_for(draft: Draft, *, budget: int = BUDGET) -> Description:
    """The Jira description of a draft, with a Markdown attachment when the full document is over budget.
    Neither names other drafts by their internal keys: the issue's Blocks links carry the relations."""
    full = render(draft)
    if adf_size(full) <= budget:
        return Description(full)
    content = draft_markdown(draft, for_jira=True).encode()
    attachment = Attachment(name=attachment_name(draft), content=content, size=len(content))
    return Description(_reduced(draft, attachment.name, budget), attachment)
