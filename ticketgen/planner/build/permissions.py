"""Permission titles the criteria name ("Campuses: Create terms") as the machine names `user.role.*`
stores, so QA can read them back with drush instead of clicking through the permissions page."""

from __future__ import annotations

import re

# Title suffix → machine name, per entity type, as core (node, taxonomy, media, block_content) and
# Paragraphs Type Permissions define them.
MACHINE: dict[str, dict[str, str]] = {
    "node": {
        "Create new content": "create {b} content",
        "Edit any content": "edit any {b} content",
        "Delete any content": "delete any {b} content",
        "Edit own content": "edit own {b} content",
        "Delete own content": "delete own {b} content",
        "Access the Content overview page": "access content overview",
    },
    "taxonomy_term": {
        "Create terms": "create terms in {b}",
        "Edit terms": "edit terms in {b}",
        "Delete terms": "delete terms in {b}",
        "Access the taxonomy vocabulary overview page": "access taxonomy overview",
    },
    "media": {
        "Create new media": "create {b} media",
        "Edit any media": "edit any {b} media",
        "Delete any media": "delete any {b} media",
        "Access the Media overview page": "access media overview",
    },
    "block_content": {
        "Create new content block": "create {b} block content",
        "Edit content block": "edit any {b} block content",
        "Delete content block": "delete any {b} block content",
        "Access the Content blocks overview page": "access block library",
    },
    "paragraph": {
        "Create content": "create paragraph content {b}",
        "Edit content": "update paragraph content {b}",
        "Delete content": "delete paragraph content {b}",
        "View content": "view paragraph content {b}",
    },
}


# Field Permissions' per-field titles → its permission names ("Edit own value for field field_x" → "edit own
# field_x").
_FIELD_TITLE = re.compile(
    r"^(Create own|Edit own|Edit anyone's|View own|View anyone's) value for field (\w+)$"
)
_FIELD_MACHINE = {"Create own": "create", "Edit own": "edit own", "Edit anyone's": "edit", "View own": "view own",
                  "View anyone's": "view"}  # fmt: skip


def machine_names(titles: list[str], etype: str, bundle: str) -> list[str]:
    """ "Campuses: Create terms" → "create terms in campuses"; a title core does not define is left out."""
    table = MACHINE.get(etype, {})
    found = []
    for title in titles:
        if m := _FIELD_TITLE.match(title):
            found.append(f"{_FIELD_MACHINE[m.group(1)]} {m.group(2)}")
        elif (t := title.split(": ", 1)[-1]) in table:
            found.append(table[t].format(b=bundle))
    return found
