"""Small text helpers shared by the planner modules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ticketgen.spec._utils import TRACKING_COLUMNS, is_error_value, norm, split_list
from ticketgen.spec.model import Row, SpecFile

__all__ = ["TRACKING_COLUMNS", "is_error_value", "norm", "split_list"]


@lru_cache(maxsize=16384)
def loose(text: str) -> str:
    """Punctuation-blind form, for soft links written by hand ("200x200 Non Crop" = "200x200 (Non Crop)")."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


def table_columns(file: SpecFile) -> list[str]:
    return list(_table_columns(file.columns))


@lru_cache(maxsize=256)  # pure, and asked for every row a table copies
def _table_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in columns if norm(c) not in TRACKING_COLUMNS)


def raw(row: Row, column: str) -> str:
    """The cell exactly as exported (tables copy cells verbatim)."""
    return row.raw(column)


def row_values(file: SpecFile, row: Row) -> tuple[str, ...]:
    return tuple(row.raw(c) for c in _table_columns(file.columns))


def unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)


def singular_words(text: str) -> list[str]:
    """Punctuation- and plural-blind words, for names written by hand ("Fact lists" = "Facts List")."""
    return list(_singular_words(text))


@lru_cache(maxsize=16384)
def _singular_words(text: str) -> tuple[str, ...]:
    return tuple(singular(w) for w in loose(text).split())


@lru_cache(maxsize=16384)
def singular(word: str) -> str:
    w = word.casefold()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


@lru_cache(maxsize=16384)
def machine(text: str) -> str:
    """Machine names compared the way Drupal would have normalised them."""
    return re.sub(r"[^0-9a-z]+", "_", text.strip().casefold()).strip("_")
