from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from ticketgen.drafts.model import Draft
from ticketgen.planner import Plan, plan
from ticketgen.spec import load, load_dir
from ticketgen.spec.model import Spec

# The UWEC headers: a small synthetic spec written with them is detected like the real one.
HEADERS = {
    "bundles": "ID,Name,Machine name,X,Dev,QA,Description,Mod.,Layout,Trns.,Migr.,Meta,Sched.,Srch.,Type,"
    "URL alias pattern,Settings/notes",
    "fields": "ID,Bundle,Field label,Machine name,Reused Field,X,Dev,QA,Field group,Field type,Ref. bundle,Req'd,"
    "Vals.,Form widget,Trns.,Settings/notes,Help text,Bundle machine name",
    "views": "ID,View name,Machine name,X,Dev,QA,Base table,Status,Description,Notes",
    "view_displays": "ID,View,Title,Machine name,X,Dev,QA,Display plugin,Notes,View ID",
    "view_modes": "ID,View Modes,Entity Type,X,Dev,QA,Entities Used On,Notes,Format",
    "image_styles": "ID,Style name,Machine name,X,Dev,QA,Notes",
    "responsive_image_styles": "ID,Responsive style,Machine Name,Breakpoint Group,Breakpoints Used,Fallback Style,"
    "Image Style Group(s),X,Dev,QA,Notes,Fallback machine name",
    "user_roles": "ID,Name,Machine name,X,Dev,QA,Notes",
    "workflows": "ID,Label,Machine name,X,Dev,QA,Type,Notes",
    "workflow_states": "ID,Workflow,Label,Machine name,X,Dev,QA,Notes",
    "workflow_transitions": "ID,Workflow,Label,Machine name,X,Dev,QA,From state,To state,Notes",
}
ENTITY_LABELS = {
    "node": "Content type",
    "media": "Media type",
    "paragraph": "Paragraph type",
    "taxonomy_term": "Vocabulary",
    "block_content": "Custom block type",
}


def sheet(type_name: str, rows: Sequence[Mapping[str, str]]) -> tuple[str, bytes]:
    columns = HEADERS[type_name].split(",")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        unknown = set(row) - set(columns)
        assert not unknown, f"{type_name} has no column {unknown}"
        writer.writerow([row.get(c, "") for c in columns])
    return f"T_{type_name}.csv", out.getvalue().encode()


def bundle(name: str, machine_name: str, etype: str = "node", x: str = "a", **cells: str) -> dict[str, str]:
    return {"Name": name, "Machine name": machine_name, "X": x, "Type": ENTITY_LABELS[etype], **cells}


def field(owner: dict[str, str], label: str, machine_name: str, x: str = "a", **cells: str) -> dict[str, str]:
    """A field row of `owner` (a `bundle(...)` row); a plain-text field unless `cells` says otherwise."""
    return {
        "Bundle": f"{owner['Name']} ({owner['Type']})",
        "Bundle machine name": owner["Machine name"],
        "Field label": label,
        "Machine name": machine_name,
        "X": x,
        "Reused Field": "n",
        "Field type": "Text (plain)",
        "Form widget": "Textfield",
        "Req'd": "n",
        "Vals.": "1",
        **cells,
    }


def paragraphs_field(owner: dict[str, str], label: str, machine_name: str, **cells: str) -> dict[str, str]:
    return field(
        owner,
        label,
        machine_name,
        **{"Field type": "Entity Reference Revisions (paragraphs)", "Form widget": "Paragraphs Stable",
           "Vals.": "*", **cells},
    )  # fmt: skip


def spec_of(**sheets: Sequence[Mapping[str, str]]) -> Spec:
    """A small spec from rows per sheet type (`bundles=[...]`, `fields=[...]`), loaded like an upload."""
    spec = load([sheet(type_name, rows) for type_name, rows in sheets.items()])
    assert not spec.errors, [f.message for f in spec.errors]
    assert {f.type for f in spec.files} == set(sheets), [(f.name, f.type) for f in spec.files]
    return spec


def deps(p: Plan, key: str) -> list[str]:
    return draft_of(p, key).depends_on


def draft_of(p: Plan, key: str) -> Draft:
    assert key in p.by_key, f"{key} not planned; have {sorted(p.by_key)}"
    return p.by_key[key]


@pytest.fixture(scope="session")
def uwec_spec(uwec_dir: Path) -> Spec:
    spec = load_dir(uwec_dir)
    assert not spec.errors, [f.message for f in spec.errors]
    return spec


@pytest.fixture(scope="session")
def uwec_plan(uwec_spec: Spec) -> Plan:
    return plan(uwec_spec)
