"""A responsive image style whose style groups outnumber the breakpoints it uses ("Use 360x360 for mobile
sizes, 426x426 at tab" with only Mobile listed): one group has no breakpoint to map to."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ticketgen.planner._utils import loose
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.kinds.image_styles import breakpoint_key, families, match_families
from ticketgen.planner.kinds.responsive_image_style import groups
from ticketgen.review.base import Question, question

TOPIC = "image_styles"
CODE = "breakpoints_short_of_groups"
_SPLIT = re.compile(r"\s*[,;\n]\s*(?![^()]*\))")  # "Mobile (1, 1.5x, 2x), Tablet": commas inside () stay


def check(index: SpecIndex) -> Iterable[Question]:
    return [*_short(index), *_unmatched(index), *_in_use(index), *_breakpoint_spellings(index)]


def _breakpoint_spellings(index: SpecIndex) -> list[Question]:
    """One breakpoint of a group named two ways across rows ("Big desk" on 1920x1445, "Large Desk" on Banner):
    the theme's breakpoints file has one name, so the styles that use the other map nothing."""
    said: dict[tuple[str, str], dict[str, list]] = {}
    for file, row in index.spec.rows_of("responsive_image_styles"):
        if not index.ticketed(row):
            continue
        for point in _SPLIT.split(row.get("Breakpoints Used").strip()):
            name = re.sub(r"\s*\(.*\)", "", point).strip()
            if name:
                key = (loose(row.get("Breakpoint Group")), breakpoint_key(name))
                said.setdefault(key, {}).setdefault(name, []).append((file, row))
    found = []
    for spellings in said.values():
        if len({loose(n) for n in spellings}) < 2:
            continue
        ranked = sorted(spellings.items(), key=lambda kv: -len(kv[1]))
        (file, first), *_ = ranked[0][1]
        every = [(f.name, r.number) for _, rows in ranked for f, r in rows]
        found.append(
            question(
                "breakpoint_named_two_ways",
                topic=TOPIC,
                file=file.name,
                row=first.number,
                column="Breakpoints Used",
                value=first.get("Breakpoints Used"),
                message="One breakpoint of the "
                f"{first.get('Breakpoint Group') or 'same'} group is named "
                + " and ".join(
                    f"“{name}” ({'rows' if len(rows) > 1 else 'row'} {', '.join(str(r.number) for _, r in rows)})"
                    for name, rows in ranked
                )
                + ": the theme's breakpoints file has one name for it, so the styles that use the other would map "
                "nothing there. Which is it?",
                hint="Use the theme's breakpoint name on every row.",
                also=every,
            )
        )
    return found


def _in_use(index: SpecIndex) -> list[Question]:
    """Image styles to create that a responsive style already on the site uses: they probably exist, and
    renaming them (a *_non-webp fix) would break that style's fallback."""
    found = []
    styles = families(index)
    for _file, row in index.spec.rows_of("responsive_image_styles"):
        if index.ticketed(row):
            continue
        used = [f for g in groups(row.get("Image Style Group(s)")) for f in match_families(styles, g)]
        building = [f for f in used if any(index.ticketed(r) for _, r in f.cited)]
        for family in building:
            first_file, first = family.cited[0]
            found.append(
                question(
                    "style_in_use_by_existing",
                    topic=TOPIC,
                    file=first_file.name,
                    row=first.number,
                    column="Machine name",
                    value=first.get("Machine name"),
                    message=f"The {family.label} image styles are marked to create, but the existing responsive "
                    f"style “{row.get('Responsive style')}” (row {row.number}) already uses them"
                    + (
                        f", with the fallback {row.get('Fallback machine name')}"
                        if row.get("Fallback machine name")
                        else ""
                    )
                    + ": they probably exist, and renaming them would break that style.",
                    hint="Mark the styles that exist d, or confirm they are new (and update the existing style).",
                    also=[(f.name, r.number) for f, r in family.cited[1:]],
                )
            )
    return found


def _unmatched(index: SpecIndex) -> list[Question]:
    """One style group per breakpoint by name ("Banner": Banner Mobile, Banner Tablet…) with a breakpoint
    no style of the group is named for ("Large Desk" beside "Banner Big Desk")."""
    found = []
    styles = families(index)
    for file, row in index.spec.rows_of("responsive_image_styles"):
        used = groups(row.get("Image Style Group(s)"))
        matched = match_families(styles, used[0]) if len(used) == 1 else []
        if not index.ticketed(row) or len(matched) < 2:
            continue
        prefix = loose(used[0])
        names = {breakpoint_key(f.names[0].removeprefix(prefix)): f for f in matched}
        points = [re.sub(r"\s*\(.*\)", "", p) for p in _SPLIT.split(row.get("Breakpoints Used").strip()) if p]
        missing = [p for p in points if breakpoint_key(p) not in names]
        if not missing:
            continue
        unused = sorted(f.label for k, f in names.items() if k not in {breakpoint_key(p) for p in points})
        found.append(
            question(
                "breakpoint_without_style",
                topic=TOPIC,
                file=file.name,
                row=row.number,
                column="Breakpoints Used",
                value=row.get("Breakpoints Used"),
                message=f"“{row.get('Responsive style')}” maps the {used[0]} styles by breakpoint, but "
                f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no {used[0]} style"
                + (f" (unused: {', '.join(unused)})" if unused else "")
                + ", so the mapping cannot be built as written.",
                hint="Rename the breakpoint or the style so that they match.",
            )
        )
    return found


def _short(index: SpecIndex) -> list[Question]:
    found = []
    for file, row in index.spec.rows_of("responsive_image_styles"):
        points = [p for p in _SPLIT.split(row.get("Breakpoints Used").strip()) if p]
        used = groups(row.get("Image Style Group(s)"))
        if not index.ticketed(row) or not points or len(used) <= len(points):
            continue
        found.append(
            question(
                CODE,
                topic=TOPIC,
                file=file.name,
                row=row.number,
                column="Breakpoints Used",
                value=row.get("Breakpoints Used"),
                message=f"The responsive style “{row.get('Responsive style')}” maps {len(used)} style groups "
                f"({', '.join(used)}) onto {len(points)} breakpoint{'s' if len(points) != 1 else ''} "
                f"({', '.join(points)}), so at least one group has no breakpoint to use it.",
                hint="Add the missing breakpoint (e.g. Tablet) to Breakpoints Used, or drop the extra style group.",
            )
        )
    return found
