"""Drupal entity type ids for the bundle types a spec names ("Content type" -> node)."""

from __future__ import annotations

from ticketgen.planner._utils import machine, norm
from ticketgen.spec import entity as spec_entity

# What a lead calls each kind of bundle in a sentence.
BUNDLE_NOUNS: dict[str, str] = {
    "node": "content type",
    "media": "media type",
    "paragraph": "paragraph type",
    "taxonomy_term": "vocabulary",
    "block_content": "custom block type",
}

ENTITY_NAMES: dict[str, str] = {
    "node": "Content",
    "media": "Media",
    "paragraph": "Paragraph",
    "taxonomy_term": "Taxonomy term",
    "block_content": "Custom block",
    "user": "User",
}


def entity_type_id(type_label: str) -> str:
    """The spec engine's mapping; unknown labels still give a stable id, so keys never change between runs."""
    return spec_entity.entity_type_id(type_label) or machine(type_label) or "unknown"


def bundle_noun(etype: str, type_label: str = "") -> str:
    return BUNDLE_NOUNS.get(etype) or (norm(type_label) or "bundle")
