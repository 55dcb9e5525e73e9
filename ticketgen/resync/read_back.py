"""An issue's description read back into sections, hashed as `sections_of` hashes a draft: how the
re-sync tells whether a person changed an issue since export, section by section.

It reads what `ticketgen.adf.render` writes and ignores the attributes Jira adds on its side (local ids,
table layout). A description shortened for the budget (the full content attached as Markdown) holds no
tables: `partial` says so, and only the sections it holds can be compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ticketgen.markdown import QUESTIONS_TITLE
from ticketgen.resync._utils import summary_text
from ticketgen.resync.sections import CRITERIA, NOTES, QUESTIONS, STORY, SUMMARY, TABLE_PREFIX, section

Node = dict[str, Any]

_HEADINGS = {"User story": STORY, "Success criteria": CRITERIA, "Notes": NOTES}


@dataclass(frozen=True, slots=True)
class ReadBack:
    hashes: dict[str, str]
    partial: bool  # shortened for the budget: its tables are in the attachment


def read_back(summary: str, adf: Node) -> ReadBack:
    found: dict[str, Any] = {SUMMARY: summary_text(summary)}
    current: str | None = None
    title = ""
    partial = False
    tables: dict[str, int] = {}
    for node in adf.get("content") or []:
        kind = node.get("type")
        if kind == "panel" and _is_questions(node):
            found[QUESTIONS] = [_question(item) for item in _items(node)]
        elif kind == "heading":
            text = _text(node)
            level = (node.get("attrs") or {}).get("level")
            if level == 4:
                title = text
            else:
                current, title = _HEADINGS.get(text), ""
        elif kind == "table":
            tables[title] = tables.get(title, 0) + 1
            suffix = f" ({tables[title]})" if tables[title] > 1 else ""
            found[f"{TABLE_PREFIX}{title}{suffix}"] = _table(node)
        elif kind == "paragraph" and _is_pointer(node):
            partial = True
        elif current == STORY and kind == "paragraph":  # a paragraph a person added is part of it too
            found[STORY] = "\n".join(filter(None, (found.get(STORY), _text(node))))
        elif current == CRITERIA and kind == "taskList":
            found[CRITERIA], current = [_text(item) for item in node.get("content") or []], None
        elif current == NOTES and kind == "bulletList":
            found[NOTES], current = [_text(item) for item in _items(node)], None
    return ReadBack({name: section(name, content).hash for name, content in found.items()}, partial)


def _is_pointer(paragraph: Node) -> bool:
    """The line a shortened description ends with: "… is attached as `name.md`."."""
    text = _text(paragraph)
    return " attached as " in text and text.endswith(".md.")


def _is_questions(panel: Node) -> bool:
    first = (panel.get("content") or [{}])[0]
    return _text(first) == QUESTIONS_TITLE


def _items(node: Node) -> Iterator[Node]:
    for child in node.get("content") or []:
        if child.get("type") in ("bulletList", "orderedList"):
            yield from child.get("content") or []
        elif child.get("type") == "listItem":
            yield child


def _question(item: Node) -> str:
    """The message without the `Spec: rows` line the renderer adds in italics."""
    inlines = [n for p in item.get("content") or [] for n in p.get("content") or []]
    kept = []
    for node in inlines:
        if any(m.get("type") == "em" for m in node.get("marks") or []) and node.get("text", "").startswith(
            "Spec: "
        ):
            break
        kept.append(node)
    if kept and kept[-1].get("type") == "hardBreak":
        kept.pop()
    return _inline_text(kept)


def _table(node: Node) -> dict[str, list[Any]]:
    rows = [[_text(cell) for cell in row.get("content") or []] for row in node.get("content") or []]
    header, *body = rows or [[]]
    return {"columns": header, "rows": body}


def _text(node: Node) -> str:
    """Text of a block: its inline nodes, `hardBreak` as a line break, paragraphs one per line."""
    if node.get("type") == "text":
        return str(node.get("text") or "")
    if node.get("type") == "hardBreak":
        return "\n"
    children = node.get("content") or []
    if children and all(
        c.get("type") in ("text", "hardBreak", "mention", "emoji", "inlineCard") for c in children
    ):
        return _inline_text(children)
    return "\n".join(_text(c) for c in children)


def _inline_text(nodes: list[Node]) -> str:
    return "".join("\n" if n.get("type") == "hardBreak" else str(n.get("text") or "") for n in nodes)
