"""image_styles: one ticket per style family (`42x42`, `42x42 1.5x`, `42x42 2x`, `42x42 Non-WebP` -> `42x42`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ticketgen.planner._utils import loose, machine
from ticketgen.planner.component import Cited, Planned, any_ticketed, held_note, make_draft
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.notes import clauses_of
from ticketgen.planner.tables import container_tables

_MACHINE_VARIANT = re.compile(r"(?:[_-](?:1_5x|1\.5x|2x|3x|non[-_]?webp))+$", re.I)
_LABEL_VARIANT = re.compile(r"(?:\s+(?:1\.5x|2x|3x|non-?webp))+$", re.I)
_VARIANTS = (
    ("non-webp", "Non-WebP"),
    ("non_webp", "Non-WebP"),
    ("nonwebp", "Non-WebP"),
    ("1_5x", "1.5x"),
    ("1.5x", "1.5x"),
    ("2x", "2x"),
    ("3x", "3x"),
)


@dataclass(slots=True)
class Family:
    id: str
    label: str = ""
    cited: Cited = field(default_factory=list)
    names: tuple[str, str] = ("", "")  # loose label and id, for matching hand-written group labels


def family_id(machine_name: str) -> str:
    return _MACHINE_VARIANT.sub("", machine_name.strip()) or machine_name.strip()


def variant(machine_name: str) -> str:
    suffix = machine_name[len(family_id(machine_name)) :].casefold()
    found = [name for token, name in _VARIANTS if token in suffix]
    return " ".join(dict.fromkeys(found)) or "1x"


def families(index: SpecIndex) -> dict[str, Family]:
    """Every family of the spec, ticketed or not, keyed by its machine-name stem."""
    return index.memo("image_style_families", _families)


def _families(index: SpecIndex) -> dict[str, Family]:
    found: dict[str, Family] = {}
    for file, row in index.spec.rows_of("image_styles"):
        mn = row.get("Machine name")
        if not mn:
            continue
        stem = family_id(mn)
        family = found.setdefault(machine(stem), Family(stem))
        family.cited.append((file, row))
        if mn == stem or not family.label:
            family.label = _LABEL_VARIANT.sub("", row.get("Style name")) or stem
    for family in found.values():
        family.names = (loose(family.label), loose(family.id))
    return found


# Words one sheet uses where another says the same breakpoint otherwise ("Big desk" beside "Large Desk").
SAME_SIZE = {"big": "large", "lg": "large", "sm": "small", "med": "medium", "md": "medium"}


def breakpoint_key(name: str) -> str:
    """A breakpoint or a style's breakpoint suffix as one token: "Big desk" and "Large Desk" → "largedesk"."""
    return "".join(SAME_SIZE.get(w, w) for w in loose(name).split())


def match_families(found: dict[str, Family], label: str) -> list[Family]:
    """A style group label names a family ("200x200 Non Crop"), or, failing that, every family it prefixes
    ("Banner" -> Banner Desk, Banner Mobile, …)."""
    wanted = loose(label)
    if not wanted:
        return []
    exact = [f for f in found.values() if wanted in f.names]
    return exact or [f for f in found.values() if f.names[0].startswith(wanted + " ")]


def plan(index: SpecIndex) -> list[Planned]:
    return [_planned(index, f) for f in families(index).values() if any_ticketed(index, f.cited)]


def _planned(index: SpecIndex, family: Family) -> Planned:
    styles = [
        {
            "name": row.get("Style name"),
            "machine_name": row.get("Machine name"),
            "variant": variant(row.get("Machine name")),
            "effects": row.get("Notes"),
            "clauses": clauses_of(
                index, row.get("Notes"), subject=f"the {row.get('Style name')} image style"
            ),
            "status": index.status(row),
        }
        for _, row in family.cited
    ]
    title = f"Create {family.label} image styles" if len(styles) > 1 else f"Create {family.label} image style"
    draft = make_draft(
        index,
        kind="image_styles",
        id=family.id,
        title=title,
        tables=container_tables("Image styles", index, family.cited),
        cited=family.cited,
        notes=held_note(index, family.cited, "styles", "Style name"),
        facts={"family": family.id, "label": family.label, "styles": styles},
    )
    return Planned(draft)
