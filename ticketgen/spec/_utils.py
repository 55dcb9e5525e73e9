"""Small text helpers shared by the spec engine's modules."""

from __future__ import annotations

import re
from functools import lru_cache

# Values spreadsheets write into a cell when a formula fails.
ERROR_VALUES = frozenset(
    {"#N/A", "#REF!", "#VALUE!", "#NAME?", "#DIV/0!", "#NULL!", "#NUM!", "#SPILL!", "#CALC!", "#ERROR!"}
)

# Columns every spec file carries for tracking; they never carry configuration.
TRACKING_COLUMNS = frozenset({"id", "x", "dev", "qa"})

_SLUG = re.compile(r"[^a-z0-9_]+")


@lru_cache(maxsize=65536)  # the same headers and labels are compared thousands of times per spec
def norm(text: str) -> str:
    """Case- and whitespace-insensitive form used for every label and key comparison."""
    return " ".join(text.split()).casefold()


def is_error_value(cell: str) -> bool:
    return "#" in cell and cell.strip().upper() in ERROR_VALUES


def split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(",") if part.strip()]


def slug(text: str) -> str:
    """What Drupal's machine-name widget would propose for a label."""
    return _SLUG.sub("_", text.strip().lower()).strip("_")


def quote(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return f"'{value[: limit - 1]}…'" if len(value) > limit else f"'{value}'"


@lru_cache(maxsize=4096)
def has_column(columns: tuple[str, ...], column: str) -> bool:
    wanted = norm(column)
    return any(norm(c) == wanted for c in columns)
