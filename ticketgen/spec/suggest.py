"""Closest valid values for a failed link, so the author can fix a typo at a glance."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import lru_cache

from ticketgen.spec._utils import norm

MAX_SUGGESTIONS = 10


def suggest(value: str, candidates: Iterable[str], limit: int = MAX_SUGGESTIONS) -> tuple[str, ...]:
    """Up to `limit` candidates, closest first, compared case- and whitespace-insensitively."""
    return _suggest(value, tuple(candidates), limit)


@lru_cache(maxsize=1024)  # pure: a spec checked again (review, then draft; a re-upload) misses the same links
def _suggest(value: str, candidates: tuple[str, ...], limit: int) -> tuple[str, ...]:
    by_norm: dict[str, str] = {}
    for candidate in candidates:
        by_norm.setdefault(norm(candidate), candidate)
    wanted = norm(value)
    if not wanted or not by_norm:
        return ()
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(wanted)
    scored = []
    for key, original in by_norm.items():
        matcher.set_seq1(key)
        if matcher.real_quick_ratio() < 0.4 or matcher.quick_ratio() < 0.4:
            continue
        ratio = matcher.ratio()
        if wanted in key or key in wanted:
            ratio = max(ratio, 0.75)
        if ratio >= 0.4:
            scored.append((-ratio, original))
    scored.sort()
    return tuple(original for _, original in scored[:limit])
