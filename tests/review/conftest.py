"""Fixtures for the review families: UWEC as shipped, and small synthetic specs built from row dicts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from ticketgen.planner.index import SpecIndex
from ticketgen.review import Review, review
from ticketgen.spec import load, load_dir
from ticketgen.spec.model import Spec

# The UWEC headers, in the UWEC order.
BUNDLE_COLUMNS = (
    "ID|Name|Machine name|X|Dev|QA|Description|Mod.|Layout|Trns.|Migr.|Meta|Sched.|Srch.|Type|"
    "URL alias pattern|Settings/notes"
)
FIELD_COLUMNS = (
    "ID|Bundle|Field label|Machine name|Reused Field|X|Dev|QA|Field group|Field type|Ref. bundle|Req'd|"
    "Vals.|Form widget|Trns.|Settings/notes|Help text|Bundle machine name"
)

Rows = Sequence[Mapping[str, str]]


def sheet(header: str, rows: Rows) -> bytes:
    columns = header.split("|")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue().encode()


def bundle(
    name: str, machine_name: str, type_label: str = "Content type", status: str = "a"
) -> dict[str, str]:
    return {"Name": name, "Machine name": machine_name, "X": status, "Type": type_label}


def field(bundle_name: str, bundle_machine: str, machine_name: str, **cells: str) -> dict[str, str]:
    """A fields row; keyword cells use the header with spaces and dots dropped (`field_type`, `reused`…)."""
    names = {
        "label": "Field label",
        "reused": "Reused Field",
        "status": "X",
        "field_type": "Field type",
        "vals": "Vals.",
        "widget": "Form widget",
        "notes": "Settings/notes",
        "help": "Help text",
        "ref": "Ref. bundle",
        "required": "Req'd",
    }
    type_label = cells.pop("type_label", "Content type")
    row = {
        "Bundle": f"{bundle_name} ({type_label})",
        "Field label": machine_name.removeprefix("field_").replace("_", " ").capitalize(),
        "Machine name": machine_name,
        "Reused Field": "n",
        "X": "a",
        "Field type": "Text (plain)",
        "Req'd": "n",
        "Vals.": "1",
        "Form widget": "Textfield",
        "Bundle machine name": bundle_machine,
    }
    row.update({names[k]: v for k, v in cells.items()})
    return row


def build(fields: Rows, bundles: Rows) -> SpecIndex:
    spec = load(
        [
            ("Test_Bundles.csv", sheet(BUNDLE_COLUMNS, bundles)),
            ("Test_Fields.csv", sheet(FIELD_COLUMNS, fields)),
        ]
    )
    assert not spec.errors, [f.message for f in spec.errors]
    assert {f.type for f in spec.files} == {"bundles", "fields"}
    return SpecIndex(spec)


@pytest.fixture
def make_index() -> Callable[[Rows, Rows], SpecIndex]:
    """`make_index(fields, bundles)`: a synthetic spec (rows from `field(...)`/`bundle(...)`) indexed."""
    return build


@pytest.fixture(scope="session")
def uwec_spec(uwec_dir: Path) -> Spec:
    return load_dir(uwec_dir)


@pytest.fixture(scope="session")
def uwec_index(uwec_spec: Spec) -> SpecIndex:
    return SpecIndex(uwec_spec)


@pytest.fixture(scope="session")
def uwec_review(uwec_spec: Spec) -> Review:
    return review(uwec_spec)
