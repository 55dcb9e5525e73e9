"""Which bundles each workflow covers, read from the workflow sheet's Notes.

Spec authors say it in prose ("Used on content types with 'Library' in the title (except contact and
hours)", "Used on all other content types"); the bundles sheet's `Mod.` flag is only a hint. The planner
links each workflow to exactly the bundles found here. Where the notes cannot be read, the workflow falls
back to the `Mod.` = y bundles no readable workflow claims, and the review asks.

Drupal attaches a bundle to at most one content moderation workflow, so a bundle claimed twice, a bundle
claimed although its `Mod.` is n, and a `Mod.` = y bundle nobody claims are all questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ticketgen.planner._utils import loose, machine, singular
from ticketgen.planner.index import Bundle, SpecIndex
from ticketgen.review.base import Question, question
from ticketgen.spec._utils import norm
from ticketgen.spec.model import Row, SpecFile

TOPIC = "workflows"
CODE = "workflow_coverage_conflict"
NOTES = "Notes"
MOD = "Mod."

_NOUNS = (
    ("content type", "node"),
    ("node type", "node"),
    ("media type", "media"),
    ("block type", "block_content"),
    ("custom block", "block_content"),
    ("vocabular", "taxonomy_term"),
    ("taxonomy", "taxonomy_term"),
)
_REST = re.compile(
    r"\b(?:all|any|every)\s+other\b|\ball\s+(?:the\s+)?remaining\b|\bthe\s+rest\b|\beverything\s+else\b"
)
_CONTAINS = re.compile(
    r"\bwith\s+(?:the\s+)?(?:word\s+)?['\"](?P<quoted>[^'\"]+)['\"]\s+in\s+(?:the|their|its)\s+(?:title|name|label)s?"
    r"|\bwith\s+(?P<bare>[a-z0-9 ]+?)\s+in\s+(?:the|their|its)\s+(?:title|name|label)s?"
)
_ALL = re.compile(r"\b(?:all|every)\s+(?:the\s+)?(?:content|node|media|block|custom|vocabular|taxonom)")
_LIST = re.compile(r"\b(?:used|applies|applied)\s+(?:on|to|for|by)\s+(?:the\s+)?(?P<names>[^.;()]+)")
_EXCEPT = re.compile(r"\b(?:except(?:\s+for)?|excluding|but\s+not|other\s+than)\s+(?P<names>[^.;)]+)")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
_FILLER = frozenset({"the", "a", "an", "content", "type", "types", "bundle", "bundles", "node", "nodes"})


@dataclass(slots=True)
class Coverage:
    """One workflow row and the bundles it covers. `read`: the notes said which (else the Mod. fallback)."""

    file: SpecFile
    row: Row
    key: str  # the workflow's machine name, normalised as the planner keys workflows
    bundles: list[Bundle] = field(default_factory=list)
    read: bool = False
    rest: bool = False
    unmatched: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.row.get("Label") or self.row.get("Machine name")


def workflow_bundles(index: SpecIndex) -> dict[str, list[str]]:
    """Workflow machine name → ids (`node.news`) of the bundles it covers."""
    return {c.key: [b.id for b in c.bundles] for c in coverage(index)}


def coverage(index: SpecIndex) -> list[Coverage]:
    return index.memo("workflow_coverage", _coverage)


def _coverage(index: SpecIndex) -> list[Coverage]:
    found: list[Coverage] = []
    for file, row in index.spec.rows_of("workflows"):
        key = machine(row.get("Machine name") or row.get("Label"))
        if key:
            found.append(Coverage(file, row, key))
    rests = [c for c in found if _REST.search(_said(c.row))]
    for c in found:
        if c in rests:
            continue
        _read(index, c)
    if len(rests) == 1:
        c = rests[0]
        claimed = {b.id for other in found if other.read for b in other.bundles}
        pool = [b for b in _pool(index, _said(c.row)) if b.id not in claimed]
        c.bundles, c.unmatched = _without_exceptions(pool, _said(c.row))
        c.read = c.rest = True
    claimed = {b.id for c in found if c.read for b in c.bundles}
    fallback = [b for b in index.bundles if _mod(b) == "y" and b.id not in claimed]
    for c in found:
        if not c.read:
            c.bundles = list(fallback)
    return found


def _said(row: Row) -> str:
    return norm(row.get(NOTES).translate(_QUOTES))


def _read(index: SpecIndex, c: Coverage) -> None:
    said = _said(c.row)
    if not said:
        return
    if match := _CONTAINS.search(said):
        word = loose(match["quoted"] or match["bare"] or "")
        pool = [b for b in _pool(index, said, default="") if _has_words(b, word)]
        c.bundles, c.unmatched = _without_exceptions(pool, said)
        c.read = bool(word)
    elif _ALL.search(said):
        c.bundles, c.unmatched = _without_exceptions(_pool(index, said), said)
        c.read = True
    elif match := _LIST.search(said):
        names = _names(match["names"])
        pool = _pool(index, said, default="")
        hits = [[b for b in pool if _names_bundle(name, b)] for name in names]
        if names and all(len(h) == 1 for h in hits):
            c.bundles = list({h[0].id: h[0] for h in hits}.values())
            c.read = True


def _pool(index: SpecIndex, said: str, *, default: str = "node") -> list[Bundle]:
    """The bundles of the entity types the notes name ("content types"), or of `default` ("" = any)."""
    etypes = {etype for noun, etype in _NOUNS if noun in said}
    if not etypes and default:
        etypes = {default}
    return [b for b in index.bundles if not etypes or b.etype in etypes]


def _without_exceptions(pool: list[Bundle], said: str) -> tuple[list[Bundle], list[str]]:
    match = _EXCEPT.search(said)
    if match is None:
        return pool, []
    excluded: set[str] = set()
    unmatched = []
    for name in _names(match["names"]):
        hits = [b for b in pool if _names_bundle(name, b)]
        excluded |= {b.id for b in hits}
        if not hits:
            unmatched.append(name)
    return [b for b in pool if b.id not in excluded], unmatched


def _names(text: str) -> list[str]:
    parts = re.split(r",|\band\b|\bor\b|&|/", text)
    return [loose(p) for p in parts if loose(p)]


def _words(text: str) -> list[str]:
    return [singular(w) for w in loose(text).split() if w not in _FILLER]


def _has_words(bundle: Bundle, phrase: str) -> bool:
    wanted = _words(phrase)
    words = _words(bundle.name)
    return bool(wanted) and any(words[i : i + len(wanted)] == wanted for i in range(len(words)))


def _names_bundle(name: str, bundle: Bundle) -> bool:
    """ "contact" names Contact Library, "stories" Story…, "news" the bundle whose machine name is news."""
    wanted = _words(name)
    if not wanted:
        return False
    return _has_words(bundle, name) or "_".join(wanted) == machine(bundle.machine_name)


def _mod(bundle: Bundle) -> str:
    value = norm(bundle.row.get(MOD))
    return "y" if value in {"y", "yes"} else "n" if value in {"n", "no"} else ""


def check(index: SpecIndex) -> Iterable[Question]:
    return list(_questions(index))


def _questions(index: SpecIndex) -> Iterator[Question]:
    found = coverage(index)
    if not found:
        return
    unread = [c for c in found if not c.read]
    for c in unread:
        if c.row.get(NOTES) or len(found) > 1:
            yield _unread(index, c)
    for c in found:
        if c.read and c.unmatched and index.ticketed(c.row):
            yield _unmatched(c)
    read = [c for c in found if c.read]
    ids = {id(c): {b.id for b in c.bundles} for c in read}
    for bundle in index.bundles:
        covering = [c for c in read if bundle.id in ids[id(c)]]
        ticketed = index.ticketed(bundle.row) or any(index.ticketed(c.row) for c in covering)
        if len(covering) > 1 and ticketed:
            yield _twice(bundle, covering)
        elif len(covering) == 1 and _mod(bundle) == "n" and ticketed:
            yield _not_moderated(bundle, covering[0])
        elif not covering and _mod(bundle) == "y" and index.ticketed(bundle.row) and read and not unread:
            yield _uncovered(bundle, read)


def _bundle_name(bundle: Bundle) -> str:
    return f"{bundle.name} ({bundle.type_label})" if bundle.type_label else bundle.name


def _unread(index: SpecIndex, c: Coverage) -> Question:
    names = ", ".join(b.name for b in c.bundles) or "none"
    fix = (
        f'Say in the Notes which bundles use \'{c.label}\' (e.g. "Used on News and Event", "Used on all '
        'content types except Event").'
    )
    message = (
        f"The workflow '{c.label}' does not say in a way the tool can read which bundles it covers "
        f"(Notes: '{c.row.get(NOTES)}'). Until it does, its ticket uses the bundles marked Mod. = y that no "
        f"other workflow claims: {names}. {fix}"
    )
    return question(
        CODE, topic=TOPIC, file=c.file.name, row=c.row.number, column=NOTES, value=c.row.get(NOTES),
        message=message, hint=fix, also=[(b.file.name, b.row.number) for b in c.bundles],
    )  # fmt: skip


def _unmatched(c: Coverage) -> Question:
    names = ", ".join(f"'{n}'" for n in c.unmatched)
    fix = f"Write the exceptions as the bundles sheet names them, or delete {names} from the Notes."
    message = (
        f"The workflow '{c.label}' excludes {names}, which matches none of the bundles it would otherwise "
        f"cover, so nothing is excluded. {fix}"
    )
    return question(
        CODE, topic=TOPIC, file=c.file.name, row=c.row.number, column=NOTES, value=c.row.get(NOTES),
        message=message, hint=fix,
    )  # fmt: skip


def _twice(bundle: Bundle, covering: list[Coverage]) -> Question:
    labels = " and ".join(f"'{c.label}'" for c in covering)
    fix = f"Say which one workflow {bundle.name} uses, and exclude it in the other workflow's Notes."
    message = (
        f"{_bundle_name(bundle)} is covered by both workflows {labels} (by their Notes), but Drupal "
        f"attaches a bundle to one content moderation workflow only. {fix}"
    )
    return question(
        CODE, topic=TOPIC, file=bundle.file.name, row=bundle.row.number, column=MOD,
        value=bundle.row.get(MOD), message=message, hint=fix,
        also=[(c.file.name, c.row.number) for c in covering],
    )  # fmt: skip


def _not_moderated(bundle: Bundle, c: Coverage) -> Question:
    said = c.row.get(NOTES).rstrip(".")
    fix = (
        f"Set Mod. to y on {bundle.name} if it uses the '{c.label}' workflow, or name {bundle.name} as an "
        f"exception in that workflow's Notes."
    )
    message = (
        f"{_bundle_name(bundle)} has Mod. = n, but the workflow '{c.label}' covers it (its Notes: "
        f'"{said}"). {fix}'
    )
    return question(
        CODE, topic=TOPIC, file=bundle.file.name, row=bundle.row.number, column=MOD,
        value=bundle.row.get(MOD), message=message, hint=fix, also=[(c.file.name, c.row.number)],
    )  # fmt: skip


def _uncovered(bundle: Bundle, read: list[Coverage]) -> Question:
    labels = ", ".join(f"'{c.label}'" for c in read)
    fix = f"Name {bundle.name} in the Notes of the workflow it uses, or set its Mod. to n."
    message = (
        f"{_bundle_name(bundle)} has Mod. = y, but no workflow's Notes cover it (workflows: {labels}). {fix}"
    )
    return question(
        CODE, topic=TOPIC, file=bundle.file.name, row=bundle.row.number, column=MOD,
        value=bundle.row.get(MOD), message=message, hint=fix,
        also=[(c.file.name, c.row.number) for c in read],
    )  # fmt: skip
