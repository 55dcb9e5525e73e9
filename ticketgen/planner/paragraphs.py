"""Which paragraph types a paragraphs field allows, and which child item types fold into their parent.

Spec authors often leave `Ref. bundle` blank on paragraphs fields and write the rule in the notes
("Only hallmarks allowed", "All parent paragraphs allowed except contact, hours, …"). A lead reads those
notes as the field's allowed bundles, so the planner does too; names it cannot match are returned so the
review can ask about them instead of dropping them.

A child item type used by exactly one paragraph type (Accordion Item inside Accordions) cannot be built
or tested on its own, so its ticket folds into the parent's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ticketgen.planner._utils import loose, norm, singular, singular_words
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.spec.model import Row
from ticketgen.spec.types import FIELDS

PARAGRAPH = "paragraph"

_ONLY = re.compile(r"\b(?:only|on)\s+(?P<names>[a-z0-9 &/,'-]+?)\s+(?:paragraphs?\s+)?(?:allowed|enabled)\b")
# "Allowed block types: basic, formatted promo, resuable widgets" on an entity reference with no Ref. bundle
_LISTED = re.compile(r"\ballowed (?P<what>block|media|content) types?\s*:\s*(?P<names>[^.]+)")
_LISTED_ETYPE = {"block": "block_content", "media": "media", "content": "node"}
_ALL = re.compile(
    r"\ball\s+(?P<scope>parent\s+|content\s+)?paragraphs?\s+(?:types?\s+)?(?:allowed|enabled)"
    r"(?:\s+single)?(?:\s+except(?:\s+for)?\s+(?P<except>[^.]+))?"
)


@dataclass(frozen=True, slots=True)
class Allowed:
    """The paragraph types a field allows. `said` is the text the rule came from ("" for none)."""

    bundles: tuple[Bundle, ...] = ()
    unmatched: tuple[str, ...] = ()
    said: str = ""


@dataclass(slots=True)
class Families:
    """child bundle id → the root paragraph type whose ticket holds it."""

    root_of: dict[str, str] = field(default_factory=dict)

    def root(self, bundle_id: str) -> str:
        return self.root_of.get(bundle_id, bundle_id)

    def children(self, root_id: str) -> list[str]:
        return [child for child, root in self.root_of.items() if root == root_id]


def is_paragraphs_field(row: Row) -> bool:
    return "paragraph" in norm(row.get("Field type")) or "revisions" in norm(row.get("Field type"))


def allowed(index: SpecIndex, row: Row) -> Allowed:
    """`Ref. bundle` when it says anything, else the notes' "Only …" / "All … except …" rule."""
    known: dict[int, Allowed] = index.memo("paragraphs_allowed", lambda _: {})
    if id(row) not in known:
        known[id(row)] = _allowed(index, row)
    return known[id(row)]


def _allowed(index: SpecIndex, row: Row) -> Allowed:
    if not is_paragraphs_field(row):
        return _listed(index, row)
    if row.get("Ref. bundle"):
        return Allowed(tuple(b for b in index.referenced_bundles(row) if b.etype == PARAGRAPH))
    notes = " ".join(norm(row.get("Settings/notes")).split())
    paragraphs = [b for b in index.bundles if b.etype == PARAGRAPH]
    if match := _ALL.search(notes):
        pool = _parents(index, paragraphs) if match["scope"] else paragraphs
        names = _names(match["except"] or "")
        excluded, unmatched = _match(names, paragraphs)
        return Allowed(tuple(b for b in pool if b not in excluded), tuple(unmatched), match.group(0))
    for match in _ONLY.finditer(notes):
        found, unmatched = _match(_names(match["names"]), paragraphs)
        if found:  # "Only collapse/edit all enabled" is a widget setting, not a rule about bundles
            return Allowed(tuple(found), tuple(unmatched), match.group(0))
    return Allowed()


def _listed(index: SpecIndex, row: Row) -> Allowed:
    """An entity reference whose notes list the bundles it may point at is read as its `Ref. bundle`."""
    if row.get("Ref. bundle") or "entity reference" not in norm(row.get("Field type")):
        return Allowed()
    match = _LISTED.search(" ".join(norm(row.get("Settings/notes")).split()))
    if match is None:
        return Allowed()
    pool = [b for b in index.bundles if b.etype == _LISTED_ETYPE[match["what"]]]
    found, unmatched = _match(_names(match["names"]), pool)
    return Allowed(tuple(found), tuple(unmatched), match.group(0))


def families(index: SpecIndex) -> Families:
    return index.memo("paragraph_families", _families)


def _families(index: SpecIndex) -> Families:
    """Child types referenced by exactly one ticketed paragraph type, and by no other field, fold into it."""
    users: dict[str, set[str]] = {}
    for _, row in index.spec.rows_of("fields"):
        owner = _owner(index, row)
        if owner is None:
            continue
        for target in allowed(index, row).bundles:
            if target.id != owner.id:
                users.setdefault(target.id, set()).add(owner.id)
    by_id = {b.id: b for b in index.bundles if b.etype == PARAGRAPH}
    direct = {
        child: next(iter(parents))
        for child, parents in users.items()
        if len(parents) == 1
        and child in by_id
        and next(iter(parents)) in by_id
        and index.ticketed(by_id[child].row)
        and index.ticketed(by_id[next(iter(parents))].row)
    }
    result = Families()
    for child in direct:
        root, seen = direct[child], {child}
        while root in direct and root not in seen:  # nested children fold into the outermost type
            seen.add(root)
            root = direct[root]
        if root != child:
            result.root_of[child] = root
    return result


def _owner(index: SpecIndex, row: Row) -> Bundle | None:
    ref = FIELDS.bundle(row)
    mn = row.get("Bundle machine name")
    if ref is None or ref.entity_type != PARAGRAPH:
        return None
    return index.bundle(PARAGRAPH, mn) if mn else index.bundle_by_label(ref.label, ref.type_label)


def _parents(index: SpecIndex, paragraphs: list[Bundle]) -> list[Bundle]:
    """ "Parent" paragraphs: those no paragraph type's own field holds as an item."""
    items = index.memo("paragraph_items", _items)
    return [b for b in paragraphs if b.id not in items and not norm(b.name).endswith(" item")]


def _items(index: SpecIndex) -> set[str]:
    """Paragraph types another paragraph type holds (a type referencing itself is still a parent), and those
    made for one other bundle's field ("Add a set hours to an hours library"): not page content."""
    found: set[str] = set()
    for _, row in index.spec.rows_of("fields"):
        owner = _owner(index, row) or _bundle_of(index, row)
        if owner is None or not row.get("Ref. bundle"):
            continue
        targets = [t for t in index.referenced_bundles(row) if t.id != owner.id and t.etype == PARAGRAPH]
        if owner.etype == PARAGRAPH:
            found |= {t.id for t in targets}
        else:
            found |= {t.id for t in targets if _made_for(t, owner)}
    return found


def _bundle_of(index: SpecIndex, row: Row) -> Bundle | None:
    ref = FIELDS.bundle(row)
    return index.bundle_by_label(ref.label, ref.type_label) if ref is not None else None


def _made_for(item: Bundle, owner: Bundle) -> bool:
    return (
        f" {' '.join(singular_words(owner.name))} "
        in f" {' '.join(singular_words(item.row.get('Description')))} "
    )


def _names(text: str) -> list[str]:
    parts = re.split(r",|\band\b|&", text.replace(" or ", ","))
    return [loose(p) for p in parts if loose(p)]


def _match(names: list[str], pool: list[Bundle]) -> tuple[list[Bundle], list[str]]:
    found: list[Bundle] = []
    unmatched: list[str] = []
    for name in names:
        hits = [b for b in pool if _same(name, b)]
        if hits:
            found += [b for b in hits if b not in found]
        else:
            unmatched.append(name)
    return found, unmatched


def _same(name: str, bundle: Bundle) -> bool:
    """ "fact lists" = Facts List, "hours" = Hours Placer, "stories list" = Stories & Video List."""
    return _same_name(name, bundle.name, bundle.machine_name)


@lru_cache(maxsize=16384)  # pure: fields with the same "All except …" note compare the same names again
def _same_name(name: str, bundle_name: str, machine_name: str) -> bool:
    wanted = [singular(w) for w in name.split() if w not in {"the", "paragraph", "paragraphs", "type"}]
    words, machine_words = _words(bundle_name, machine_name)
    if not wanted:
        return False
    return any(
        bool(candidate) and _alike(wanted[0], candidate[0]) and _in_order(wanted, candidate)
        for candidate in (words, machine_words)
    )


@lru_cache(maxsize=4096)
def _words(name: str, machine_name: str) -> tuple[list[str], list[str]]:
    return singular_words(name), [singular(w) for w in machine_name.split("_")]


def _in_order(wanted: list[str], words: list[str]) -> bool:
    remaining = iter(words)
    return all(any(_alike(word, other) for other in remaining) for word in wanted)


def _alike(word: str, other: str) -> bool:
    """Equal, or one slip of the keyboard apart in a long word ("resuable" for "reusable")."""
    if word == other:
        return True
    if min(len(word), len(other)) < 6 or abs(len(word) - len(other)) > 1:
        return False
    if len(word) == len(other):  # one letter wrong, or two neighbours swapped
        wrong = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
        return len(wrong) == 1 or (
            len(wrong) == 2
            and wrong[1] == wrong[0] + 1
            and word[wrong[0]] == other[wrong[1]]
            and word[wrong[1]] == other[wrong[0]]
        )
    short, long = sorted((word, other), key=len)  # one letter missing
    at = next((i for i, (a, b) in enumerate(zip(short, long, strict=False)) if a != b), len(short))
    return short[at:] == long[at + 1 :]
