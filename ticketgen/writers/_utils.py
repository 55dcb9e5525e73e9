"""Helpers both writers share."""

from __future__ import annotations

from collections.abc import Iterable


def distinct(criteria: Iterable[str]) -> list[str]:
    """Criteria with whitespace collapsed and repeats dropped (a repeat is noise, not a reason to reject)."""
    return list(dict.fromkeys(c for c in (" ".join(c.split()) for c in criteria) if c))
