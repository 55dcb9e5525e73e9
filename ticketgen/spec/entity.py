"""Drupal entity types as the spec names them ("Content type", "Vocabulary"…).

Shared by the spec engine (link resolution) and the planner (draft keys such as `fields:node.page`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ticketgen.spec._utils import norm

ENTITY_TYPES: dict[str, str] = {
    "Content type": "node",
    "Media type": "media",
    "Paragraph type": "paragraph",
    "Vocabulary": "taxonomy_term",
    "Custom block type": "block_content",
}

_ALIASES: dict[str, str] = {
    **{norm(label): entity for label, entity in ENTITY_TYPES.items()},
    **{entity: entity for entity in ENTITY_TYPES.values()},
    "content": "node",
    "node type": "node",
    "media": "media",
    "paragraph": "paragraph",
    "paragraphs type": "paragraph",
    "taxonomy": "taxonomy_term",
    "taxonomy vocabulary": "taxonomy_term",
    "block type": "block_content",
    "custom block": "block_content",
    "block content type": "block_content",
}

_LABELLED = re.compile(r"^(?P<label>.*?\S)\s*\((?P<type>[^()]*)\)\s*$", re.DOTALL)


@lru_cache(maxsize=4096)
def entity_type_id(type_label: str) -> str | None:
    """`"Content type"` → `"node"`; None when the spec names no entity type Drupal knows."""
    return _ALIASES.get(norm(type_label))


def type_label(entity_type: str) -> str:
    for label, entity in ENTITY_TYPES.items():
        if entity == entity_type:
            return label
    return entity_type


@dataclass(frozen=True, slots=True)
class BundleRef:
    """A bundle as named in a cell: `"Academic Program (Content type)"`."""

    label: str
    type_label: str
    entity_type: str | None  # None when the part in parentheses is no known entity type

    def __str__(self) -> str:
        return f"{self.label} ({self.type_label})" if self.type_label else self.label


@lru_cache(maxsize=16384)  # pure, and every field row's bundle cell is parsed by several rule families
def parse_bundle_ref(value: str) -> BundleRef | None:
    """Split "Label (Type)"; a bare label gives an empty type. None for a blank cell."""
    value = value.strip()
    if not value:
        return None
    match = _LABELLED.match(value)
    if match is None:
        return BundleRef(value, "", None)
    kind = match["type"].strip()
    return BundleRef(match["label"].strip(), kind, entity_type_id(kind))
