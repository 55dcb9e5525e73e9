"""Small specs for the review families, sheet by sheet, with the UWEC headers (the real column names)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from tests.conftest import UWEC
from tests.review.conftest import BUNDLE_COLUMNS, FIELD_COLUMNS
from ticketgen.planner.index import SpecIndex
from ticketgen.spec import load
from ticketgen.spec.model import Spec

Rows = Sequence[Mapping[str, str]]

# sheet type -> the UWEC file whose header it uses
UWEC_FILES = {
    "bundles": "UWEC_Bundles.csv",
    "fields": "UWEC_Fields.csv",
    "user_roles": "UWEC_Userroles.csv",
    "workflows": "UWEC_Workflows.csv",
    "workflow_states": "UWEC_Workflowstates.csv",
    "workflow_transitions": "UWEC_Workflowtransitions.csv",
    "responsive_image_styles": "UWEC_ResponsiveImageStyles.csv",
    "image_styles": "UWEC_Imagestyles.csv",
    "view_modes": "UWEC_CustomViewModes.csv",
    "views": "UWEC_CustomViews.csv",
    "view_displays": "UWEC_CustomViewsDisplays.csv",
}


def header(sheet_type: str) -> list[str]:
    if sheet_type == "bundles":
        return BUNDLE_COLUMNS.split("|")
    if sheet_type == "fields":
        return FIELD_COLUMNS.split("|")
    with (UWEC / UWEC_FILES[sheet_type]).open(newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f))


def sheet(sheet_type: str, rows: Rows) -> bytes:
    columns = header(sheet_type)
    unknown = {c for row in rows for c in row} - set(columns)
    assert not unknown, f"{sheet_type} has no column {unknown}"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue().encode()


def spec(**sheets: Rows) -> Spec:
    """`spec(user_roles=[...], workflow_transitions=[...])`: each sheet as `T_<type>.csv`, type checked."""
    loaded = load([(f"T_{name}.csv", sheet(name, rows)) for name, rows in sheets.items()])
    assert not loaded.errors, [f.message for f in loaded.errors]
    assert {f.type for f in loaded.files} == set(sheets)
    return loaded


def index(**sheets: Rows) -> SpecIndex:
    return SpecIndex(spec(**sheets))
