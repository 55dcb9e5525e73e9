"""bundle: the content type (or vocabulary, media type…) itself, its settings flags and alias pattern."""

from __future__ import annotations

from ticketgen.writers.template_copy._utils import (
    Copy,
    Facts,
    exported,
    listing,
    named,
    purpose,
    quoted,
    said,
)

CONFIG_PREFIX = {
    "node": "node.type",
    "media": "media.type",
    "paragraph": "paragraphs.paragraphs_type",
    "taxonomy_term": "taxonomy.vocabulary",
    "block_content": "block_content.type",
}
ITEM_NOUNS = {
    "node": "content",
    "media": "media items",
    "paragraph": "paragraphs",
    "taxonomy_term": "terms",
    "block_content": "blocks",
}
FLAG_CRITERIA = {
    "Content moderation": "Content moderation applies to {name} (the workflow ticket assigns the workflow).",
    "Layout Builder": "Layout Builder is enabled on the default display of {name}.",
    "Translation": "Content translation is enabled for {name}.",
    "Content migration": "{name} is included in the content migration (Migr. = y).",
    "Metatag defaults": "Metatag defaults are configured for {name}.",
    "Scheduled publishing": "Scheduled publishing is enabled for {name}.",
    "Search indexing": "{name} is added to the site search index.",
}


def write(f: Facts) -> Copy:
    name, mn, noun, etype = f["name"], f["machine_name"], f["noun"], f["entity_type"]
    items = ITEM_NOUNS.get(etype, "items")
    story = (
        f"As a content editor, I want {'an' if name[:1].lower() in 'aeiou' else 'a'} {name} {noun} "
        f"{purpose(f.get('description', ''), f'so that I can create {name} {items}')}."
    )
    criteria = [f"The {noun} {named(name, mn)} exists and appears under Structure with that label."]
    if f.get("description"):
        criteria.append(f"Its description reads {said(f['description'])}.")
    if f.get("url_alias_pattern"):
        criteria.append(
            f"A Pathauto pattern {f['url_alias_pattern']} applies to {name} {items}, and saving a new one "
            "produces an alias that follows it."
        )
    off: list[str] = []
    for flag, value in f.get("flags", {}).items():
        answer = value.strip().casefold()
        if answer in {"y", "yes"} and flag in FLAG_CRITERIA:
            criteria.append(FLAG_CRITERIA[flag].format(name=name))
        elif answer in {"n", "no"}:
            off.append(flag)
        else:
            criteria.append(f"{flag} is set as the settings table says ({quoted(value)}).")
    if off:
        criteria.append(f"Not enabled for {name}: {listing(off)}.")
    if etype in CONFIG_PREFIX:
        criteria.append(exported([f"{CONFIG_PREFIX[etype]}.{mn}"]))
    return story, criteria
