"""Which of the 11 file types a CSV is: by header signature first, file name second.

Each identifying header is weighted by how rare it is among the types (`From state` says more than
`Machine name`); a file scores the F1 of weighted precision and recall against each type's signature,
so the type whose signature the file covers best, and that explains most of its headers, wins — the
most specific type. A matching file name adds the rest."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ticketgen.spec._utils import norm
from ticketgen.spec.model import UNKNOWN
from ticketgen.spec.types import FILE_TYPES

HEADER_WEIGHT = 0.85
NAME_WEIGHT = 1 - HEADER_WEIGHT
THRESHOLD = 0.5  # below it the file is `unknown` and the user picks its type

_SIGNATURES = {t.name: frozenset(norm(h) for h in t.headers) for t in FILE_TYPES}
_FREQUENCY = Counter(h for signature in _SIGNATURES.values() for h in signature)
_WEIGHT = {h: 1 / n for h, n in _FREQUENCY.items()}


@dataclass(frozen=True, slots=True)
class Detection:
    type: str
    confidence: float
    candidates: tuple[tuple[str, float], ...]  # every type with a non-zero score, best first


def compact_name(file_name: str) -> str:
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[^a-z0-9]", "", stem.lower())


def name_match(file_name: str) -> str | None:
    """The first type (most specific first) whose hint occurs in the file name."""
    stem = compact_name(file_name)
    for file_type in FILE_TYPES:
        if any(hint in stem for hint in file_type.filename_hints):
            return file_type.name
    return None


def header_score(type_name: str, headers: frozenset[str]) -> float:
    signature = _SIGNATURES[type_name]
    matched = sum(_WEIGHT[h] for h in headers & signature)
    if not matched:
        return 0.0
    recall = matched / sum(_WEIGHT[h] for h in signature)
    precision = matched / sum(_WEIGHT[h] for h in headers if h in _WEIGHT)
    return 2 * precision * recall / (precision + recall)


def detect(file_name: str, columns: tuple[str, ...]) -> Detection:
    headers = frozenset(norm(c) for c in columns)
    by_name = name_match(file_name)
    scored = []
    for order, file_type in enumerate(FILE_TYPES):
        score = HEADER_WEIGHT * header_score(file_type.name, headers)
        score += NAME_WEIGHT if file_type.name == by_name else 0.0
        if score > 0:
            scored.append((round(score, 2), -order, file_type.name))
    scored.sort(reverse=True)
    candidates = tuple((name, score) for score, _, name in scored)
    if not candidates or candidates[0][1] < THRESHOLD:
        return Detection(UNKNOWN, 0.0, candidates)
    return Detection(candidates[0][0], candidates[0][1], candidates)
