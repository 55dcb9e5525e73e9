"""Template writer: user story and success criteria built from a draft's facts, with no network.

The default writer and the Anthropic writer's fallback, so it has to stand on its own: every criterion
names something a tester can check in the Drupal UI or in exported configuration (labels, machine names,
counts, required flags, alias patterns, states and transitions), and nothing is ever a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ticketgen.drafts.model import Draft
from ticketgen.writers.writer import Progress, Writer, WriteResult

Copy = tuple[str, list[str]]
Facts = dict[str, Any]

MAX_LISTED = 12  # beyond this a criterion points at the table instead of growing without end
BUILDING = frozenset({"new", "on_hold"})

CONFIG_PREFIX = {
    "node": "node.type",
    "media": "media.type",
    "paragraph": "paragraphs.paragraphs_type",
    "taxonomy_term": "taxonomy.vocabulary",
    "block_content": "block_content.type",
}
ITEM_NOUNS = {
    "node": "content",
    "media": "media items",
    "paragraph": "paragraphs",
    "taxonomy_term": "terms",
    "block_content": "blocks",
}
FLAG_CRITERIA = {
    "Content moderation": "Content moderation applies to {name} (the workflow ticket assigns the workflow).",
    "Layout Builder": "Layout Builder is enabled on the default display of {name}.",
    "Translation": "Content translation is enabled for {name}.",
    "Content migration": "{name} is included in the content migration (Migr. = y).",
    "Metatag defaults": "Metatag defaults are configured for {name}.",
    "Scheduled publishing": "Scheduled publishing is enabled for {name}.",
    "Search indexing": "{name} is added to the site search index.",
}
_VERBS = frozenset(
    {"add", "allow", "create", "define", "display", "embed", "highlight", "list", "place", "provide", "set",
     "show", "store", "use"}
)  # fmt: skip
_QUESTION_WORDS = frozenset({"how", "what", "when", "where", "which", "who"})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


class TemplateWriter(Writer):
    """Deterministic copy from `Draft.facts`. Takes no parameters."""

    name = "template"

    async def write(
        self, drafts: Sequence[Draft], *, site: str = "", progress: Progress | None = None
    ) -> WriteResult:
        written: list[Draft] = []
        for done, draft in enumerate(drafts, start=1):
            story, criteria = self.copy_for(draft)
            written.append(replace(draft, user_story=story, criteria=criteria, writer="template"))
            if progress is not None:
                progress(done, len(drafts), draft.key)
        return WriteResult(written)

    def copy_for(self, draft: Draft) -> Copy:
        """(user story, success criteria) for one draft; falls back to the summary and tables without facts."""
        build = _BY_KIND.get(draft.kind)
        try:
            story, criteria = build(draft.facts) if build and draft.facts else _generic(draft)
        except (KeyError, TypeError, ValueError, AttributeError):
            story, criteria = _generic(draft)  # facts from an older or edited draft: still useful copy
        criteria = list(dict.fromkeys(c for c in (" ".join(c.split()) for c in criteria) if c))
        return " ".join(story.split()), criteria or _generic(draft)[1]


# -- helpers -------------------------------------------------------------------------------------------


def _q(text: str) -> str:
    return f"“{text}”"


def _named(label: str, machine: str) -> str:
    return f"{_q(label)} ({machine})" if machine and machine != label else _q(label or machine)


def _listing(items: Sequence[str], conj: str = "and", sep: str = ", ") -> str:
    items = list(items)
    if len(items) > MAX_LISTED:
        items = [*items[:MAX_LISTED], f"{len(items) - MAX_LISTED} more as listed in the table"]
    if len(items) <= 1:
        return "".join(items)
    return f"{sep.join(items[:-1])}{sep.rstrip() if sep != ', ' else ''} {conj} {items[-1]}"


def _said(text: str) -> str:
    """A spec sentence quoted inside one of ours: its own full stop would double ours."""
    return _q(" ".join(text.split()).rstrip(". "))


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0].rstrip(" .;:")


def _lower_first(text: str) -> str:
    word = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if word[:1].isupper() and word[1:].islower() else text


def _purpose(description: str, fallback: str) -> str:
    """The bundle description as the "so that" half of a user story."""
    text = _first_sentence(description)
    if not text:
        return fallback
    words = text.split()
    first = words[0].casefold()
    second = words[1].casefold() if len(words) > 1 else ""
    if first == "use" and second == "to":
        return "so that I can " + _lower_first(" ".join(words[2:]))
    if first in _VERBS and second != "of":
        return "so that I can " + _lower_first(text)
    if first.endswith("s") and first[:-1] in _VERBS and second != "of":
        return "so that it " + _lower_first(text)
    if first == "used":
        return "so that it can be " + _lower_first(text)
    if first in _QUESTION_WORDS:
        return "so that editors can record " + _lower_first(text)
    return "so that editors have " + _lower_first(text)


def _config(names: Sequence[str]) -> str:
    if len(names) == 1:
        return f"The configuration is exported: config/sync contains {names[0]}.yml."
    return f"The configuration is exported: config/sync contains {_listing([n + '.yml' for n in names])}."


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


# -- one builder per kind --------------------------------------------------------------------------------


def _bundle(f: Facts) -> Copy:
    name, mn, noun, etype = f["name"], f["machine_name"], f["noun"], f["entity_type"]
    items = ITEM_NOUNS.get(etype, "items")
    story = (
        f"As a content editor, I want {'an' if name[:1].lower() in 'aeiou' else 'a'} {name} {noun} "
        f"{_purpose(f.get('description', ''), f'so that I can create {name} {items}')}."
    )
    criteria = [f"The {noun} {_named(name, mn)} exists and appears under Structure with that label."]
    if f.get("description"):
        criteria.append(f"Its description reads {_said(f['description'])}.")
    if f.get("url_alias_pattern"):
        criteria.append(
            f"A Pathauto pattern {f['url_alias_pattern']} applies to {name} {items}, and saving a new one "
            "produces an alias that follows it."
        )
    off: list[str] = []
    for flag, value in f.get("flags", {}).items():
        answer = value.strip().casefold()
        if answer in {"y", "yes"} and flag in FLAG_CRITERIA:
            criteria.append(FLAG_CRITERIA[flag].format(name=name))
        elif answer in {"n", "no"}:
            off.append(flag)
        else:
            criteria.append(f"{flag} is set as the settings table says ({_q(value)}).")
    if off:
        criteria.append(f"Not enabled for {name}: {_listing(off)}.")
    if etype in CONFIG_PREFIX:
        criteria.append(_config([f"{CONFIG_PREFIX[etype]}.{mn}"]))
    return story, criteria


def _fields(f: Facts) -> Copy:
    bundle = f["bundle"]
    name, noun, etype, bmn = bundle["name"], bundle["noun"], bundle["entity_type"], bundle["machine_name"]
    new = [x for x in f["fields"] if x["status"] in BUILDING]
    existing = [x for x in f["fields"] if x["status"] == "exists"]
    held = [x for x in new if x["status"] == "on_hold"]

    def label(x: dict) -> str:
        return f"{x['label']} ({x['machine_name']})" if x["machine_name"] else x["label"]

    where = "existing " if bundle.get("exists") else ""
    some = "its new field" if len(new) == 1 else f"its {len(new)} specified fields"
    story = (
        f"As a content editor, I want the {where}{name} {noun} to have {some} so that I can enter everything the "
        "design shows for it."
    )
    every = (
        "the new field of the table, with its"
        if len(new) == 1
        else f"all {len(new)} new fields of the table, each with the"
    )
    criteria = [f"{name} ({etype}.{bmn}) has {every} listed label, machine name, field type and form widget."]
    base = [x["label"] for x in new if x["base_field"]]
    if base:
        criteria.append(f"Base fields are configured as listed (label, required, widget): {_listing(base)}.")
    required = [label(x) for x in new if x["required"] is True]
    if required:
        criteria.append(f"Required: {_listing(required)}; every other new field is optional.")
    else:
        criteria.append(
            "The new field is optional." if len(new) == 1 else "None of the new fields is required."
        )
    unlimited = [x["label"] for x in new if x["cardinality"] == "*"]
    if unlimited:
        criteria.append(f"Allow unlimited values: {_listing(unlimited)}.")
    limited = [f"{x['label']} ({x['cardinality']})" for x in new if x["cardinality"].isdigit()
               and int(x["cardinality"]) > 1]  # fmt: skip
    if limited:
        criteria.append(f"Limited to the listed number of values: {_listing(limited)}.")
    refs = [f"{x['label']} → {x['ref_bundle']}" for x in new if x["ref_bundle"]]
    if refs:
        criteria.append(f"Reference fields allow exactly the listed targets: {_listing(refs, sep='; ')}.")
    reused = [x["machine_name"] for x in new if x["reused"] and x["machine_name"]]
    if reused:
        criteria.append(f"Existing field storage is reused, not duplicated, for {_listing(reused)}.")
    groups: dict[str, int] = {}
    for x in new:
        if x["group"]:
            groups[x["group"]] = groups.get(x["group"], 0) + 1
    if groups:
        shown = [f"{g} ({_plural(n, 'field')})" for g, n in groups.items()]
        criteria.append(f"The form display groups fields as listed: {_listing(shown)}.")
    helped = sum(1 for x in new if x["help_text"])
    if helped:
        criteria.append(f"Help text is entered exactly as in the table for {_plural(helped, 'field')}.")
    if existing:
        criteria.append(f"Fields marked Exists are left unchanged: {_listing([label(x) for x in existing])}.")
    if held and len(held) < len(new):
        criteria.append(f"Fields marked On hold wait for a decision: {_listing([label(x) for x in held])}.")
    stored = [x["machine_name"] for x in new if x["machine_name"] and not x["base_field"]]
    if stored:
        criteria.append(
            f"The configuration is exported: config/sync contains field.field.{etype}.{bmn}.{stored[0]}.yml."
            if len(stored) == 1
            else f"The configuration is exported: config/sync contains one field.field.{etype}.{bmn}.*.yml file "
            f"per new field ({len(stored)})."
        )
    return story, criteria


def _view(f: Facts) -> Copy:
    name, mn = f["name"], f["machine_name"]
    displays = [d for d in f["displays"] if d["status"] in BUILDING]
    kept = [d for d in f["displays"] if d["status"] == "exists"]
    purpose = _first_sentence(f.get("description", ""))
    story = (
        f"As a site visitor, I want the {name} view "
        + (f"so that {_lower_first(purpose)} appear where the design places them." if purpose else
           "so that its listings appear where the design places them.")
    )  # fmt: skip
    if f.get("exists"):
        criteria = [f"The existing view {_named(name, mn)} is updated in place."]
    else:
        base = f" on base table {f['base_table']}" if f.get("base_table") else ""
        status = f", {f['status'].lower()}" if f.get("status") else ""
        criteria = [f"The view {_named(name, mn)} exists{base}{status}."]
    if f.get("base_bundles"):
        criteria.append(f"It lists {_listing([b['name'] for b in f['base_bundles']])} items.")
    for d in displays:
        plugin = f"{d['plugin']} display" if d.get("plugin") else "display"
        criteria.append(
            f"{plugin.capitalize()} {_named(d['title'], d['machine_name'])} behaves as its notes say."
        )
    if kept:
        criteria.append(
            f"Displays marked Exists keep working unchanged: {_listing([d['title'] for d in kept])}."
        )
    criteria.append(_config([f"views.view.{mn}"]))
    return story, criteria


def _image_styles(f: Facts) -> Copy:
    styles = [s for s in f["styles"] if s["status"] in BUILDING]
    variants = _listing([s["variant"] for s in styles])
    story = (
        f"As a front-end developer, I want the {f['label']} image styles ({variants}) so that images are "
        f"cropped and compressed consistently for every pixel density that uses {f['label']}."
    )
    criteria = [f"{_plural(len(styles), 'image style')} of the {f['label']} family exist as listed."]
    for s in styles:
        effects = s["effects"].rstrip(". ")
        criteria.append(
            f"{_named(s['name'], s['machine_name'])}: {effects}." if effects else
            f"{_named(s['name'], s['machine_name'])} exists with the effects agreed for it."
        )  # fmt: skip
    criteria.append(_config([f"image.style.{s['machine_name']}" for s in styles]))
    return story, criteria


def _responsive(f: Facts) -> Copy:
    name, mn = f["name"], f["machine_name"]
    group = f.get("breakpoint_group") or "theme"
    story = (
        f"As a front-end developer, I want the {name} responsive image style so that every breakpoint of "
        f"the {group} group gets a correctly sized image."
    )
    criteria = [
        f"The responsive image style {_named(name, mn)} exists and uses the {group} breakpoint group."
    ]
    if f.get("breakpoints"):
        criteria.append(f"Breakpoints mapped: {f['breakpoints']}.")
    families = [x["label"] for x in f.get("families", [])]
    if families:
        criteria.append(
            f"Each breakpoint and multiplier uses the matching style of the {_listing(families)} "
            f"{'family' if len(families) == 1 else 'families'} (1x, 1.5x and 2x variants)."
        )
    fallback = f.get("fallback", {})
    if fallback.get("name") or fallback.get("machine_name"):
        criteria.append(f"The fallback image style is {_named(fallback['name'], fallback['machine_name'])}.")
    criteria.append(_config([f"responsive_image.styles.{mn}"]))
    return story, criteria


def _view_modes(f: Facts) -> Copy:
    entity = f.get("entity_name") or f["entity_type"]
    modes = [m for m in f["view_modes"] if m["status"] in BUILDING]
    kept = [m for m in f["view_modes"] if m["status"] == "exists"]
    story = (
        f"As a site builder, I want the new {entity.lower()} view modes so that each {entity.lower()} item "
        "can be displayed at every size the design uses."
    )
    exist = "exists" if len(modes) == 1 else "exist"
    criteria = [
        f"{_plural(len(modes), f'{entity} view mode')} {exist}: {_listing([m['label'] for m in modes])}."
    ]
    by_bundle: dict[str, list[str]] = {}
    for m in modes:
        for used in m["used_on"]:
            by_bundle.setdefault(used, []).append(m["label"])
    for used, labels in by_bundle.items():
        criteria.append(f"Enabled on the Manage display of {used}: {_listing(labels)}.")
    styled = [f"{m['label']} → {m['responsive_style']}" for m in modes if m["responsive_style"]]
    if styled:
        criteria.append(
            f"Each renders its image with the matching responsive image style: {_listing(styled, sep='; ')}."
        )
    if kept:
        criteria.append(
            f"View modes marked Exists are left unchanged: {_listing([m['label'] for m in kept])}."
        )
    config = f"core.entity_view_mode.{f['entity_type']}.*.yml"
    criteria.append(
        f"The configuration is exported: config/sync contains one {config} file per new view mode."
    )
    return story, criteria


def _workflow(f: Facts) -> Copy:
    label, mn = f["label"], f["machine_name"]
    states = [s["label"] for s in f["states"]]
    story = (
        f"As a site administrator, I want the {label} workflow so that content moves through "
        f"{_listing(states) or 'its states'} and only the right roles can change its state."
    )
    kind = f" of type {f['type']}" if f.get("type") else ""
    criteria = [f"The workflow {_named(label, mn)}{kind} exists."]
    if f["states"]:
        criteria.append(
            f"It has exactly {_plural(len(states), 'state')}: "
            f"{_listing([_named(s['label'], s['machine_name']) for s in f['states']])}."
        )
    who: dict[str, list[str]] = {}
    for t in f["transitions"]:
        criteria.append(f"Transition {_named(t['label'], t['machine_name'])} goes from {_listing(t['from'], 'or')} "
                        f"to {t['to']}.")  # fmt: skip
        if t.get("who"):
            who.setdefault(t["who"], []).append(t["label"])
    for rule, labels in who.items():
        criteria.append(f"Permissions follow the spec ({_said(rule)}) for {_listing(labels)}.")
    if f.get("applies_to"):
        criteria.append(
            f"The workflow is applied to the bundles its notes name: {_q(f['applies_to'].rstrip('. '))}."
        )
    criteria.append(_config([f"workflows.workflow.{mn}"]))
    return story, criteria


def _user_role(f: Facts) -> Copy:
    name, mn = f["name"], f["machine_name"]
    access = _first_sentence(f.get("permissions", ""))
    story = f"As a site administrator, I want a {name} role so that " + (
        f"people with it get this access: {_lower_first(access)}." if access else
        "people with it get exactly the access the spec describes."
    )  # fmt: skip
    criteria = [f"The role {_named(name, mn)} exists."]
    if f.get("permissions"):
        criteria.append(f"Its permissions grant what the spec says: {_said(f['permissions'])}.")
        criteria.append(
            f"A test user with only the {name} role can do that and is refused anything beyond it."
        )
    criteria.append(_config([f"user.role.{mn}"]))
    return story, criteria


def _generic(draft: Draft) -> Copy:
    """No facts to draw on: the summary and the tables still say what done means."""
    what = draft.summary.rstrip(". ") or draft.key
    story = f"As a site builder, I want to {_lower_first(what)} so that the site matches the approved specification."
    criteria = [
        f"Every row of the {_q(t.title)} table marked New is configured exactly as listed."
        for t in draft.tables
    ]
    criteria.append(f"The work is done as the ticket summary says: {what}.")
    return story, criteria


_BY_KIND: dict[str, Callable[[Facts], Copy]] = {
    "bundle": _bundle,
    "fields": _fields,
    "view": _view,
    "image_styles": _image_styles,
    "responsive_image_style": _responsive,
    "view_modes": _view_modes,
    "workflow": _workflow,
    "user_role": _user_role,
}
