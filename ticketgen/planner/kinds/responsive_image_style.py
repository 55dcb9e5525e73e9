"""responsive_image_style: one ticket per responsive style; blocked by the image style families it uses."""

from __future__ import annotations

import re

from ticketgen.planner._utils import is_error_value, loose, machine, unique
from ticketgen.planner.component import Planned, make_draft, spec_notes, ticketed_rows_by
from ticketgen.planner.index import SpecIndex
from ticketgen.planner.kinds.image_styles import breakpoint_key, families, family_id, match_families
from ticketgen.planner.tables import component_tables

_GROUP_SPLIT = re.compile(r"\s*[,;\n]\s*")


def groups(value: str) -> list[str]:
    return [g for g in _GROUP_SPLIT.split(value.strip()) if g]


def plan(index: SpecIndex) -> list[Planned]:
    found = families(index)
    planned: list[Planned] = []
    for mn, cited in ticketed_rows_by(index, "responsive_image_styles", "Machine Name").items():
        _, row = cited[0]
        fallback = row.get("Fallback machine name")
        used = [f.id for g in groups(row.get("Image Style Group(s)")) for f in match_families(found, g)]
        if fallback and not is_error_value(fallback) and machine(family_id(fallback)) in found:
            used.insert(0, found[machine(family_id(fallback))].id)
        used = unique(used)
        name = row.get("Responsive style") or mn
        facts = {
            "name": name,
            "machine_name": mn,
            "breakpoint_group": row.get("Breakpoint Group"),
            "breakpoints": row.get("Breakpoints Used"),
            "fallback": {"name": row.get("Fallback Style"), "machine_name": fallback},
            "style_groups": groups(row.get("Image Style Group(s)")),
            "families": [{"id": f, "label": found[machine(f)].label} for f in used],
            "mapping": mapping(
                row.get("Breakpoints Used"), groups(row.get("Image Style Group(s)")), found, row.get("Notes")
            ),
        }
        draft = make_draft(
            index,
            kind="responsive_image_style",
            id=mn,
            title=f"Create {name} responsive image style",
            tables=component_tables("Responsive image style settings", index, cited),
            cited=cited,
            notes=spec_notes(row.get("Notes")),
            facts=facts,
        )
        planned.append(Planned(draft, [f"image_styles:{f}" for f in used]))
    return planned


_BREAKPOINT = re.compile(r"([A-Za-z][A-Za-z ]*?)\s*(?:\(([^)]*)\))?\s*(?:,|$)")
_SUFFIX = {"1x": "", "1.5x": "_1_5x", "2x": "_2x"}


_USE_FOR = re.compile(
    r"\buse (?P<group>[\w ]+?) (?:for|on|at) (?P<point>[a-z ]+?)(?: sizes?)?(?=[,.;]|$)", re.I
)


def _groups_by_point(notes: str, style_groups: list[str]) -> dict[str, str]:
    """ "Use 360x360 for mobile sizes, 426x426 at tab": which style group each breakpoint takes."""
    said: dict[str, str] = {}
    for m in _USE_FOR.finditer(notes or ""):
        group = next((g for g in style_groups if loose(g) == loose(m.group("group"))), "")
        if group:
            said[breakpoint_key(m.group("point"))[:3]] = group
    return said


def mapping(breakpoints: str, style_groups: list[str], found: dict, notes: str = "") -> list[dict[str, str]]:
    """Breakpoint × multiplier → image style machine name, when the sheet pins it down: one style group for
    every breakpoint, one group per breakpoint in order, or fewer groups with the last one covering the
    larger breakpoints ("492x492 at tab & desk"). Anything else stays unmapped rather than guessed."""
    points = [
        (m.group(1).strip(), m.group(2) or "1")
        for m in _BREAKPOINT.finditer(breakpoints)
        if m.group(1).strip()
    ]
    matched = [match_families(found, g) for g in style_groups]
    said = _groups_by_point(notes, style_groups) if len(style_groups) > len(points) else {}
    if said and all(breakpoint_key(p)[:3] in said for p, _ in points):
        # more groups than breakpoints: the notes say which breakpoint takes which (the rest is asked)
        matched = [match_families(found, said[breakpoint_key(p)[:3]]) for p, _ in points]
    by_name = (
        len(matched) == 1 and len(matched[0]) > 1
    )  # "Banner" names a family per breakpoint: Banner Mobile…
    if by_name:
        prefix = loose(style_groups[0])
        by_point = {breakpoint_key(f.names[0].removeprefix(prefix)): f for f in matched[0]}
        matched = [[by_point[breakpoint_key(p)]] if breakpoint_key(p) in by_point else [] for p, _ in points]
    if not points or not matched or len(matched) > len(points):
        return []
    if any(len(m) != 1 for m in matched) and not (by_name and any(matched)):
        return []
    result = []
    for i, (point, multipliers) in enumerate(points):
        family = matched[min(i, len(matched) - 1)]
        styles = {row.get("Machine name") for _, row in family[0].cited} if family else set()
        for raw in multipliers.split(","):
            multiplier = {"1": "1x"}.get(raw.strip(), raw.strip())
            if not family:  # a breakpoint the group names no style for: the review asks, the rest still maps
                result.append({"breakpoint": point, "multiplier": multiplier, "style": ""})
                continue
            style = family[0].id + _SUFFIX.get(multiplier, "?")
            if style not in styles:
                return []  # the family lacks that variant: say nothing rather than name a missing style
            result.append({"breakpoint": point, "multiplier": multiplier, "style": style})
    return result
