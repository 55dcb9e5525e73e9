from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ticketgen.drafts.model import Draft, Source, Table
from ticketgen.planner import Plan, plan
from ticketgen.spec import load_dir
from ticketgen.writers.template import TemplateWriter


@pytest.fixture(scope="session")
def uwec_plan(uwec_dir) -> Plan:
    spec = load_dir(uwec_dir)
    assert not spec.errors, [f.message for f in spec.errors]
    return plan(spec)


@pytest.fixture(scope="session")
def uwec_drafts(uwec_plan: Plan) -> list[Draft]:
    """The UWEC drafts as the CLI writes them offline (template copy), in export order."""
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
