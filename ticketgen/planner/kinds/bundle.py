"""bundle: one ticket per bundle row with a ticketed X code."""

from __future__ import annotations

from ticketgen.planner._utils import norm
from ticketgen.planner.component import Planned, any_ticketed, make_draft, spec_notes
from ticketgen.planner.entity import bundle_noun
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.planner.tables import component_tables

# Flag columns of the bundles sheet, as a lead would name them in a sentence.
FLAG_NAMES: dict[str, str] = {
    "mod.": "Content moderation",
    "layout": "Layout Builder",
    "trns.": "Translation",
    "migr.": "Content migration",
    "meta": "Metatag defaults",
    "sched.": "Scheduled publishing",
    "srch.": "Search indexing",
}


def flags(bundle: Bundle) -> dict[str, str]:
    return {name: bundle.row.get(column) for column, name in FLAG_NAMES.items() if bundle.row.get(column)}


def moderated(bundle: Bundle) -> bool:
    return norm(bundle.row.get("Mod.")) in {"y", "yes"}


def alias_pattern(bundle: Bundle) -> str:
    pattern = bundle.row.get("URL alias pattern")
    return "" if pattern in {"", "-"} else pattern


def plan(index: SpecIndex) -> list[Planned]:
    groups: dict[str, list[Bundle]] = {}
    for bundle in index.bundles:
        groups.setdefault(bundle.id, []).append(bundle)
    planned: list[Planned] = []
    for bundle_id, bundles in groups.items():
        cited = [(b.file, b.row) for b in bundles]
        if not any_ticketed(index, cited):
            continue
        first = bundles[0]
        noun = bundle_noun(first.etype, first.type_label)
        facts = {
            "name": first.name,
            "machine_name": first.machine_name,
            "bundle_type": first.type_label,
            "entity_type": first.etype,
            "noun": noun,
            "description": first.row.get("Description"),
            "url_alias_pattern": alias_pattern(first),
            "flags": flags(first),
        }
        draft = make_draft(
            index,
            kind="bundle",
            id=bundle_id,
            title=f"Create {first.name or first.machine_name} {noun}",
            tables=component_tables(f"{noun.capitalize()} settings", index, cited),
            cited=cited,
            notes=spec_notes(first.row.get("Settings/notes")),
            facts=facts,
        )
        planned.append(Planned(draft))
    return planned
