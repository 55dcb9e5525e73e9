"""What the spec says about one bundle's displays: field groups, fields hidden from the form or the page,
how a field renders, and the view modes the bundle is shown in (named in the view modes sheet, or in a note
such as "Add teaser view mode that shows story image").

Each statement knows its side (form or view) so the display ticket names the right config object and the
right drush check; a form-hidden field is checked in the form display, never in the view display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ticketgen.planner._utils import loose, norm, singular, split_list
from ticketgen.planner.entity import bundle_noun, entity_type_id
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.planner.kinds.fields import FieldGroup, field_facts, field_groups
from ticketgen.planner.kinds.image_styles import families, match_families
from ticketgen.planner.kinds.view_modes import mode_facts
from ticketgen.planner.notes import clauses_of
from ticketgen.spec.model import Row
from ticketgen.spec.types.fields import BASE_FIELD

DISPLAY_CLAUSES = frozenset({"hidden", "display"})
_ONE_NAME = re.compile(
    r"^render(?:ed)? (?:as|at) (?:the )?(?P<mode>[a-z0-9][a-z0-9 ()-]*?)(?: view mode)?\.?$"
)
OBJECT_FIT = re.compile(r"\bobject[- ]fit\b", re.IGNORECASE)
_OBJECT_FIT = re.compile(r"\s+(?:and|,)\s+(?:use|with)\s+(?:css\s+)?object[- ]fit\b.*$")
_ONE_SIZE = re.compile(r"^render(?:ed)? (?:as|at) \d+\s*x\s*\d+(?:\s*\(?non[- ]?crop\)?)?\.?$")
SIZE = re.compile(r"\b\d+\s*x\s*\d+(?:\s*\(?non[- ]?crop\)?)?", re.I)


@dataclass(slots=True)
class Said:
    """Everything the spec says about one bundle's displays."""

    rows: list[Row] = field(default_factory=list)  # fields of the bundle (new, on hold or existing)
    grouped: list[Row] = field(default_factory=list)
    statements: list[dict] = field(default_factory=list)
    modes: list[dict] = field(default_factory=list)
    cited: list[Row] = field(default_factory=list)

    @property
    def form(self) -> bool:
        return bool(self.grouped) or any(s["side"] == "form" for s in self.statements)

    @property
    def view(self) -> bool:
        return bool(self.modes) or any(s["side"] == "view" for s in self.statements)


def said_about(index: SpecIndex, bundle: Bundle, group: FieldGroup | None) -> Said:
    found = Said()
    found.rows = [row for _, row in group.cited if index.status(row) != "not_planned"] if group else []
    live = [row for row in found.rows if index.ticketed(row)]
    found.grouped = [row for row in live if row.get("Field group")]
    for row in live:
        for clause in field_facts(index, row)["clauses"]:
            if clause["kind"] in DISPLAY_CLAUSES:
                found.statements.append(_statement(index, clause, row.get("Field label"), _machine(row), row))
    noun = bundle_noun(bundle.etype, bundle.type_label)
    notes = bundle.row.get("Settings/notes") if index.ticketed(bundle.row) else ""  # an existing row is done
    for clause in clauses_of(index, notes, subject=f"the {bundle.name} {noun}"):
        if clause["kind"] in DISPLAY_CLAUSES:
            found.statements.append(_statement(index, clause, bundle.name, "", None))
    found.modes = _modes(index, bundle, found.statements)
    found.cited = [*found.grouped, *(s["row"] for s in found.statements if s["row"] is not None)]
    for s in found.statements:
        del s["row"]  # facts stay JSON
    return found


def shows_mode(index: SpecIndex, bundle: Bundle, mode: str) -> bool:
    """Whether the spec says anything about the bundle's display in that view mode (a view-mode row used on
    it, or a note naming the mode): a view rendering rows in it needs that said somewhere."""
    known: dict[tuple[str, str], bool] = index.memo("shows_mode", lambda _: {})
    if (bundle.id, mode) not in known:
        known[bundle.id, mode] = _shows_mode(index, bundle, mode)
    return known[bundle.id, mode]


def _shows_mode(index: SpecIndex, bundle: Bundle, mode: str) -> bool:
    group = next((g for g in field_groups(index).values() if g.id == bundle.id), None)
    said = said_about(index, bundle, group)
    return any(loose(m["label"]) == mode for m in said.modes) or any(
        s["side"] == "view" and mode in loose(s["clause"]) for s in said.statements
    )


def styles_named(index: SpecIndex, text: str) -> list[str]:
    """Image style families a display clause names by size ("Render as 874x492")."""
    found = families(index)
    return [f.id for size in SIZE.findall(text) for f in match_families(found, size)]


def hides_on_form(clause: dict) -> bool:
    text = norm(clause["text"])
    return clause["kind"] == "hidden" and "form" in text and "not shown on" not in text


def _statement(index: SpecIndex, clause: dict, label: str, machine_name: str, row: Row | None) -> dict:
    side = "form" if hides_on_form(clause) else "view"
    return {
        "label": label,
        "machine_name": machine_name,
        "clause": clause["text"],
        "criterion": clause["criterion"],
        "kind": clause["kind"],
        "side": side,
        "media_view_mode": _media_mode(index, row, clause) if row is not None else "",
        "media_mode_new": _mode_is_new(index, _media_mode(index, row, clause)) if row is not None else False,
        "media_modes": _media_modes(index, row, clause) if row is not None else [],
        "media": row is not None and "media" in norm(row.get("Ref. bundle")),
        "size_modes": _size_modes(index, clause["text"]) if row is not None else {},
        "decided_by": _deciding_field(index, row, clause["text"]) if row is not None else {},
        "media_bundles": [b.id for b in index.referenced_bundles(row) if b.etype == "media"]
        if row is not None
        else [],
        "row": row,
        "row_less": row is None,
    }


# "If CTA trio, render as 393x221, if single render as 1920x1445": the words that name each case
_IF_CASE = re.compile(r"\b[Ii]f (?:[A-Z]{2,} )?(?P<case>[a-z]+)\b")


def _deciding_field(index: SpecIndex, row: Row, text: str) -> dict[str, str]:
    """The on/off field, on the bundle or on the container its items sit in, named after one of the cases
    (CTAs' "Trio?" for "if CTA trio … if single"): what the template reads to pick the case."""
    from ticketgen.planner.kinds.fields import identity

    cases = [m.group("case") for m in _IF_CASE.finditer(text)]
    found = identity(index, row)
    if len(cases) < 2 or found is None:
        return {}
    etype, mn, item = found[0], found[1], found[4]
    container = index.container_of(item) if item is not None else None
    groups = field_groups(index)
    for owner in [x for x in (index.bundle(etype, mn), container) if x is not None]:
        group = groups.get((owner.etype, owner.machine_name))
        for _, r in group.cited if group else ():
            label = r.get("Field label")
            if norm(r.get("Field type")) != "boolean" or index.status(r) == "not_planned":
                continue
            case = next(
                (c for c in cases if [singular(c)] == [singular(w) for w in loose(label).split()]), ""
            )
            named = f"{label} ({r.get('Machine name')})"
            if case and owner is container:  # an item's template reads it from the paragraph holding it
                holders = [
                    f"{h.get('Field label')} ({h.get('Machine name')})"
                    for _, h in group.cited
                    if any(t.id == f"{etype}.{mn}" for t in index.referenced_bundles(h))
                ]
                return {
                    "field": f"{named} of the parent {owner.name} (getParentEntity())",
                    "case": case,
                    # CTAs holds its items in CTA Items and CTA Bar too: which of the two tells the case is open
                    "or_holder": " or ".join(holders) if len(holders) > 1 else "",
                }
            if case:
                return {"field": named, "case": case}
    return {}


def _modes(index: SpecIndex, bundle: Bundle, statements: list[dict]) -> list[dict]:
    """View modes the sheet shows on the bundle, then those a display note names ("teaser")."""
    names = {loose(bundle.name), loose(bundle.name).removesuffix(" library"), loose(bundle.machine_name)}
    last = loose(bundle.name).rpartition(" ")[2]
    modes: dict[str, dict] = {}
    rows = [
        row
        for _, row in index.spec.rows_of("view_modes")
        if entity_type_id(row.get("Entity Type")) == bundle.etype
    ]
    for row in rows:
        used_on = {loose(x) for x in split_list(row.get("Entities Used On"))}
        if not (used_on & names or (last in used_on and " " in loose(bundle.name))):
            continue
        if index.ticketed(row):
            modes.setdefault(loose(row.get("View Modes")), mode_facts(index, row))
        elif (facts := mode_facts(index, row))["responsive_style"] in _new_responsive_styles(index):
            # a view mode already on the site "set to matching responsive image style" whose matching style
            # this spec creates: nobody else switches it to the new style
            modes.setdefault(loose(row.get("View Modes")), {**facts, "switches_to_new_style": True})
    for s in statements:
        if s["side"] != "view" or s["media_view_mode"]:
            continue
        said = f" {' '.join(singular(w) for w in loose(s['clause']).split())} "
        for row in rows:
            label = loose(row.get("View Modes"))
            # A bundle note names its own view modes; on a field, only "… on teaser" does: "rendered as
            # teaser" on a reference field is the referenced item's view mode.
            wanted = f" {label} " if s["row"] is None else f" on {label} "
            if (
                label
                and (wanted in said or wanted.replace(" on ", " on the ") in said)
                and label not in modes
            ):
                named = mode_facts(index, row)
                named["notes"] = s["clause"]
                modes[label] = named
    return list(modes.values())


def _new_responsive_styles(index: SpecIndex) -> frozenset[str]:
    return index.memo(
        "new_responsive_styles",
        lambda ix: frozenset(
            r.get("Machine Name")
            for _, r in ix.spec.rows_of("responsive_image_styles")
            if ix.ticketed(r) and r.get("Machine Name")
        ),
    )


def _media_mode(index: SpecIndex, row: Row, clause: dict) -> str:
    """ "Render as 730x840" on a media reference field means the media view mode of that name (rendered
    entity), not an image style on the field itself."""
    if clause["kind"] != "display" or "media" not in norm(row.get("Ref. bundle")):
        return ""
    named = _ONE_NAME.match(_OBJECT_FIT.sub("", norm(clause["text"]).rstrip(". ")))
    if named is None:
        return ""  # "banner on node, 539x304 on teaser": more than one display, said in words
    modes = index.memo(
        "media_view_modes",
        lambda ix: {
            loose(r.get("View Modes")): r.get("View Modes")
            for _, r in ix.spec.rows_of("view_modes")
            if entity_type_id(r.get("Entity Type")) == "media"
        },
    )
    return modes.get(loose(named.group("mode")), "")


def _machine(row: Row) -> str:
    name = row.get("Machine name")
    return "" if name == BASE_FIELD else name


_PLACED = re.compile(
    r"(?P<mode>[a-z0-9][a-z0-9 ()-]*?) on (?:the )?(?P<display>node|page|teaser|[a-z]+(?: [a-z]+)?)$"
)


def _size_modes(index: SpecIndex, text: str) -> dict[str, str]:
    """Each size a note names ("360x360") with the media view mode that renders it, where that mode is named
    otherwise: the site's "Square" mode renders through a responsive style made only of 360x360."""
    named = index.memo("size_named_modes", _modes_by_size)
    return {size: named[size] for size in dict.fromkeys(SIZE.findall(text)) if named.get(size, size) != size}


def _modes_by_size(index: SpecIndex) -> dict[str, str]:
    labels = {
        loose(r.get("View Modes")): r.get("View Modes")
        for _, r in index.spec.rows_of("view_modes")
        if entity_type_id(r.get("Entity Type")) == "media"
    }
    found: dict[str, str] = {}
    for _, r in index.spec.rows_of("responsive_image_styles"):
        groups = [g.strip() for g in r.get("Image Style Group(s)").split(",") if g.strip()]
        mode = labels.get(loose(r.get("Responsive style")))
        if len(groups) == 1 and SIZE.fullmatch(groups[0]) and mode and loose(groups[0]) not in labels:
            found.setdefault(groups[0], mode)
    return found


def _media_modes(index: SpecIndex, row: Row, clause: dict) -> list[dict[str, str]]:
    """ "Render as banner on node, 539x304 on teaser": per display of the bundle, the media view mode its
    media field renders in."""
    if clause["kind"] != "display" or "media" not in norm(row.get("Ref. bundle")):
        return []
    modes = index.memo(
        "media_view_mode_labels",
        lambda ix: {
            loose(r.get("View Modes")): r.get("View Modes")
            for _, r in ix.spec.rows_of("view_modes")
            if entity_type_id(r.get("Entity Type")) == "media"
        },
    )
    text = re.sub(r"^render(?:ed)? (?:as|at) ", "", norm(clause["text"]).rstrip(". "))
    found = []
    for part in re.split(r",|;| and ", text):
        match = _PLACED.match(part.strip())
        if match is None:
            return []  # anything not of the form "<mode> on <display>" is left to a person
        mode = modes.get(loose(match.group("mode")))
        if mode is None:
            return []
        display = {"node": "default", "page": "default"}.get(
            match.group("display"), loose(match.group("display"))
        )
        found.append({"display": display, "mode": mode})
    return found


def _mode_is_new(index: SpecIndex, label: str) -> bool:
    """Whether the media view mode still has to be created (an existing one needs no ticket to wait for)."""
    if not label:
        return False
    return any(
        loose(r.get("View Modes")) == loose(label) and index.ticketed(r)
        for _, r in index.spec.rows_of("view_modes")
        if entity_type_id(r.get("Entity Type")) == "media"
    )
