"""ADF → HTML for the browsable issue list (what a person sees in Jira, roughly)."""

from __future__ import annotations

from html import escape
from typing import Any

_BLOCKS = {
    "paragraph": "p",
    "bulletList": "ul",
    "orderedList": "ol",
    "listItem": "li",
    "blockquote": "blockquote",
    "table": "table",
    "tableRow": "tr",
    "tableHeader": "th",
    "tableCell": "td",
    "taskList": "ul",
    "taskItem": "li",
    "panel": "aside",
    "expand": "details",
    "rule": "hr",
}
_MARKS = {"strong": "strong", "em": "em", "code": "code", "strike": "s", "underline": "u"}


def _text(node: dict[str, Any]) -> str:
    html = escape(str(node.get("text", "")))
    for mark in node.get("marks", []):
        kind = mark.get("type")
        if kind == "link":
            href = str(mark.get("attrs", {}).get("href", ""))
            safe = href if href.startswith(("http://", "https://", "mailto:", "#", "/")) else "#"
            html = f'<a href="{escape(safe)}" rel="noopener">{html}</a>'
        elif kind in _MARKS:
            html = f"<{_MARKS[kind]}>{html}</{_MARKS[kind]}>"
    return html


def adf_to_html(node: Any) -> str:
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    inner = "".join(adf_to_html(child) for child in node.get("content", []))
    if kind == "doc":
        return inner
    if kind == "text":
        return _text(node)
    if kind == "hardBreak":
        return "<br>"
    if kind == "heading":
        level = min(6, max(1, int(node.get("attrs", {}).get("level", 3))))
        return f"<h{level}>{inner}</h{level}>"
    if kind == "codeBlock":
        return f"<pre><code>{inner}</code></pre>"
    if kind == "taskItem":
        done = node.get("attrs", {}).get("state") == "DONE"
        return f'<li><input type="checkbox" disabled{" checked" if done else ""}> {inner}</li>'
    if kind == "table":
        return f"<table class=adf-table>{inner}</table>"
    tag = _BLOCKS.get(str(kind))
    if tag == "hr":
        return "<hr>"
    if tag:
        return f"<{tag}>{inner}</{tag}>"
    return inner
