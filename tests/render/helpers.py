from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every node of an ADF tree, depth first."""
    if isinstance(node, dict):
        yield node
        for child in node.get("content", []):
            yield from nodes(child)


def text_of(node: Any) -> str:
    """A node's text as a person reads it: hard breaks back to newlines."""
    parts = []
    for n in nodes(node):
        if n["type"] == "text":
            parts.append(n["text"])
        elif n["type"] == "hardBreak":
            parts.append("\n")
    return "".join(parts)


def tables(adf: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in nodes(adf) if n["type"] == "table"]


def assert_well_formed(adf: dict[str, Any]) -> None:
    """What the validator checks, plus what the brief asks beyond it: no empty or missing text and
    every table cell holding exactly one paragraph."""
    from ticketgen.adf import validate_adf

    assert validate_adf(adf) == []
    for n in nodes(adf):
        if n["type"] == "text":
            assert isinstance(n["text"], str) and n["text"], n
        if n["type"] in ("tableCell", "tableHeader"):
            assert [c["type"] for c in n["content"]] == ["paragraph"], n
