"""Helpers the re-sync modules share: the canonical text form and its hash."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from ticketgen.export.payload import SUMMARY_LIMIT
from ticketgen.markdown import split_lines

# Row numbers quoted in the text ("(row 50)", "rows 12, 14–16", "the row before (571)"): a row inserted
# above shifts them all, which is not a change of what the text asks for.
_ROW_NUMBERS = re.compile(r"\b(rows?(?: before| after)?) (?:\(\d+\)|\d+(?:\s*(?:[–,-]|and)\s*\d+)*)")


def lines(text: str) -> str:
    """Line breaks as the ADF writer makes them (`hardBreak` per break, whatever the original ending)."""
    return "\n".join(split_lines(text))


def one_line(text: str) -> str:
    return " ".join(text.split())


def summary_text(text: str) -> str:
    """The summary as the export sends it (`ticketgen.export.payload`): one line, cut to Jira's limit."""
    text = one_line(text) or "Untitled draft"
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 1].rstrip() + "…"


def without_row_numbers(text: str) -> str:
    return _ROW_NUMBERS.sub(r"\1 #", text)


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def content_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()
