"""UWEC revised the ways specs really change (issue 15): a copy of `examples/uwec/` with specific cells
edited, rows inserted, deleted or appended. Each edit finds its row by content, not by number."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from tests.conftest import UWEC

NEW_FIELD = ["", "College (Content type)", "Founded year", "field_founded_year", "n", "a", "", "", "",
             "Number (integer)", "", "n", "1", "Number field", "n", "", "", "college"]  # fmt: skip
NEW_BUNDLE = ["", "Podcast", "podcast", "a", "", "", "Add podcast episodes.", "y", "y", "", "n", "n", "n",
              "y", "Content type", "podcasts/[node:title]", ""]  # fmt: skip
WIDGET = ("field_college", "academic_program", "Select list")  # machine name, bundle, new widget
DROPPED_DISPLAY = ("facts", "review")  # view id, display machine name
SWITCHED_BUNDLE = "job"
STYLE = ("730x840_non-webp", "Focal point scale and crop to 730x820")


def read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def copy_uwec(target: Path) -> Path:
    shutil.copytree(UWEC, target)
    return target


def revise_uwec(target: Path) -> Path:
    """A revised copy of UWEC in `target`: the six edits of issue 15's Done-means list."""
    copy_uwec(target)
    fields = read(target / "UWEC_Fields.csv")
    head = fields[0]
    bundle, machine, widget = (
        head.index("Bundle machine name"),
        head.index("Machine name"),
        head.index("Form widget"),
    )
    last_college = max(i for i, r in enumerate(fields) if i and r[bundle] == "college")
    fields.insert(last_college + 1, NEW_FIELD)  # mid-file: every later row number shifts
    changed = next(r for r in fields[1:] if r[machine] == WIDGET[0] and r[bundle] == WIDGET[1])
    changed[widget] = WIDGET[2]
    write(target / "UWEC_Fields.csv", fields)

    displays = read(target / "UWEC_CustomViewsDisplays.csv")
    head = displays[0]
    view, name = head.index("View ID"), head.index("Machine name")
    displays = [r for r in displays if (r[view], r[name]) != DROPPED_DISPLAY]
    write(target / "UWEC_CustomViewsDisplays.csv", displays)

    bundles = read(target / "UWEC_Bundles.csv")
    status, machine = bundles[0].index("X"), bundles[0].index("Machine name")
    next(r for r in bundles[1:] if r[machine] == SWITCHED_BUNDLE)[status] = "x"
    bundles.append(NEW_BUNDLE)
    write(target / "UWEC_Bundles.csv", bundles)

    styles = read(target / "UWEC_Imagestyles.csv")
    machine, notes = styles[0].index("Machine name"), styles[0].index("Notes")
    next(r for r in styles[1:] if r[machine] == STYLE[0])[notes] = STYLE[1]
    write(target / "UWEC_Imagestyles.csv", styles)
    return target
