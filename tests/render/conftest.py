from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ticketgen.drafts.model import Draft, Source, Table


@pytest.fixture(scope="session")
def uwec_plan(uwec_dir) -> Any:
    from ticketgen.planner import plan  # imported here: the renderer's own tests need no planner
    from ticketgen.spec import load_dir

    spec = load_dir(uwec_dir)
    assert not spec.errors, [f.message for f in spec.errors]
    return plan(spec)


@pytest.fixture(scope="session")
def uwec_drafts(uwec_plan: Any) -> list[Draft]:
    """The UWEC drafts as the CLI writes them offline (template copy), in export order."""
    from ticketgen.writers.template import TemplateWriter

    return asyncio.run(TemplateWriter().write(uwec_plan.drafts)).drafts


def make_draft(**overrides: Any) -> Draft:
    fields: dict[str, Any] = {
        "key": "fields:node.article",
        "kind": "fields",
        "summary": "Create Article content type fields",
        "tables": [
            Table(
                "Fields",
                ["Field label", "Machine name", "Req'd", "Settings/notes"],
                [["Title", "-", "y", ""], ["Tags", "field_tags", "", "Up to 5"]],
            )
        ],
        "sources": [Source("UWEC_Fields.csv", [2, 3])],
        "user_story": "As an editor, I want Article fields so that I can write articles.",
        "criteria": ["Article has 2 fields.", "Tags (field_tags) is optional."],
        "notes": ["Tags come from the Tags vocabulary."],
        "labels": [],
        "depends_on": ["bundle:node.article"],
    }
    fields.update(overrides)
    return Draft(**fields)


QUESTION = {
    "code": "widget_not_for_field_type",
    "message": "Tags (field_tags) uses the widget “Textfield”, which Drupal does not offer for an Entity "
    "reference field. Use one of: Autocomplete, Select list, Check boxes/radio buttons.",
    "rows": [
        {"file": "UWEC_Fields.csv", "row": 3},
        {"file": "UWEC_Fields.csv", "row": 4},
        {"file": "UWEC_Bundles.csv", "row": 7},
    ],
}
EXPORT = {"check": "Export the configuration", "command": "drush config:export", "expect": ""}
STATUS = {
    "check": "Nothing is left to export",
    "command": "drush config:status",
    "expect": "No differences between DB and sync directory.",
}
CHECK = {
    "check": "Tags references taxonomy terms",
    "command": "drush config:get field.storage.node.field_tags settings.target_type",
    "expect": "taxonomy_term",
}


def decided_draft(**overrides: Any) -> Draft:
    """A draft with an open question and a build-and-verify section, as the planner makes them."""
    fields: dict[str, Any] = {
        "labels": ["needs-decision"],
        "questions": [QUESTION],
        "modules": ["taxonomy", "field_ui"],
        "admin_path": "/admin/structure/types/manage/article/fields",
        "config": ["field.storage.node.field_tags", "field.field.node.article.field_tags"],
        "verify": [CHECK, EXPORT, STATUS],
    }
    return make_draft(**(fields | overrides))
