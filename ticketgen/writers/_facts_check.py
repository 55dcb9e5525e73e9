"""What LLM copy may not lose: the names a ticket's checks, roles and permissions hang on.

The open questions, the links and the verify checks are rendered from the draft itself, which the model
cannot change. What it can do is write criteria that no longer mention what those checks verify, or drop a
role or a permission the spec's notes required (the template writer's criteria carry them). Each such name
becomes a `Keep`; criteria that leave one out send the ticket to the template writer.

Every name is found the same way in the prompt (`must_keep`) and in the check, so the model is told exactly
what it will be held to. Names are matched whole (`field_tags` is not found in `field_tags_extra`), case
and spacing aside.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ticketgen.drafts.model import Draft
from ticketgen.markdown import verify_parts

# Roles every Drupal site has (the standard profile adds content_editor), named in notes without a ticket.
BUILT_IN_ROLES = frozenset({"anonymous", "authenticated", "administrator", "content_editor"})

_CONFIG_NAME = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_-]+)+$")
_DISPLAYS = ("core.entity_form_display.", "core.entity_view_display.")
_LABEL = re.compile(r"[“\"]([^“”\"\n]{1,80})[”\"]")
_QUOTED = r"[“\"`]([^“”\"`\n]{3,120})[”\"`]"
_QUOTED_PERMISSION = re.compile(rf"{_QUOTED}\s+permissions?\b|\bpermissions?\s*:?\s*{_QUOTED}", re.IGNORECASE)
_ROLE_WORD = re.compile(r"\broles?\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Keep:
    """A name some criterion must carry: any of `names` will do; the first is the one the prompt asks for."""

    what: str  # "the checked", "the role", "the permission"
    names: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.what} {self.names[0]}"


def verify_subject(entry: Mapping[str, Any], config: Collection[str] = ()) -> tuple[str, ...]:
    """What a verify check is about, most specific first: the field or component machine name, the config
    object name, and the labels the check quotes (any of them will do). Nothing for the closing steps and
    for checks that name no config object or field."""
    check, command, _ = verify_parts(entry)
    words = [w.strip("'\"") for w in command.split()]
    start = next((i for i, w in enumerate(words) if w.rpartition("/")[2] == "drush"), None)
    if start is None:
        return ()
    labels = tuple(dict.fromkeys(m.strip() for m in _LABEL.findall(check) if m.strip()))
    args = words[start + 2 :]  # past `drush <command>`
    for i, word in enumerate(args):
        if word in config or _CONFIG_NAME.match(word):
            key = args[i + 1] if i + 1 < len(args) else ""
            return (*dict.fromkeys([_component(word, key), word]), *labels)
        if word.startswith("field_"):
            return (word, *labels)
    return ()


def _component(name: str, key: str) -> str:
    """The machine name a person would cite for a config object: the field of a field or display setting
    (`field.field.node.job.body` → body, `content.field_x.type` of a form display → field_x), the bundle of a
    display, otherwise the object's own id (`node.type.job` → job, `views.view.news` → news)."""
    parts = name.split(".")
    if name.startswith(_DISPLAYS) and len(parts) >= 5:
        field = re.match(r"^(?:content|hidden)\.([a-z0-9_]+)", key)
        return field.group(1) if field else parts[3]
    return parts[-1]


def _found(name: str, text: str) -> bool:
    return re.search(rf"(?<![a-z0-9_]){re.escape(name.lower())}(?![a-z0-9_])", text) is not None


def _flat(texts: Iterable[str]) -> str:
    return " ".join(" ".join(t.split()).lower() for t in texts)


def _roles_named(criteria: Sequence[str], roles: Collection[str]) -> list[str]:
    """Role machine names the criteria name; a one-word id (`editor`) only next to the word "role"."""
    named = []
    for role in sorted(roles):
        for criterion in criteria:
            text = _flat([criterion])
            if _found(role, text) and ("_" in role or _ROLE_WORD.search(criterion)):
                named.append(role)
                break
    return named


def _bundle_permissions(bundles: Collection[str]) -> re.Pattern[str] | None:
    """Drupal's per-bundle permission strings, for the bundles of this run (so "view all revisions" in
    prose is never taken for a permission)."""
    if not bundles:
        return None
    ids = "|".join(re.escape(b) for b in sorted(bundles, key=len, reverse=True))
    return re.compile(
        rf"\b(?:(?:create|edit own|edit any|delete own|delete any|view own unpublished) (?:{ids}) "
        rf"(?:content|media)|(?:view|revert|delete) (?:{ids}) revisions|(?:create|edit|delete) terms in "
        rf"(?:{ids})|use (?:{ids}) transition [a-z0-9_]+)\b",
        re.IGNORECASE,
    )


def permissions_named(criteria: Sequence[str], bundles: Collection[str] = ()) -> list[str]:
    """Permission strings the criteria name: quoted next to the word "permission", or Drupal's own
    per-bundle forms (`create article content`, `edit terms in tags`)."""
    found: dict[str, None] = {}
    standard = _bundle_permissions(bundles)
    for criterion in criteria:
        text = " ".join(criterion.split())
        for match in _QUOTED_PERMISSION.finditer(text):
            found[(match.group(1) or match.group(2)).strip().lower()] = None
        if standard is not None:
            found.update((m.group(0).lower(), None) for m in standard.finditer(text))
    return [p for p in found if p]


def must_keep(
    draft: Draft,
    *,
    baseline: Sequence[str],
    roles: Collection[str] = (),
    bundles: Collection[str] = (),
) -> list[Keep]:
    """What the criteria must carry: each verify check's subject, and every role machine name and
    permission the baseline (template) criteria name."""
    keep: dict[tuple[str, ...], Keep] = {}
    for entry in draft.verify:
        subject = verify_subject(entry, draft.config)
        if subject:
            keep.setdefault(subject, Keep("the checked", subject))
    for role in _roles_named(baseline, {*roles, *BUILT_IN_ROLES}):
        keep.setdefault((role,), Keep("the role", (role,)))
    for permission in permissions_named(baseline, bundles):
        keep.setdefault((permission,), Keep("the permission", (permission,)))
    return list(keep.values())


def facts_problem(criteria: Sequence[str], keep: Sequence[Keep]) -> str | None:
    """Why the criteria can't be used (what they leave out), or None."""
    text = _flat(criteria)
    missing = [k for k in keep if not any(_found(name, text) for name in k.names)]
    if not missing:
        return None
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    return f"criteria leave out {', '.join(str(k) for k in missing[:5])}{more}"


_NUMBER = re.compile(r"\d+")
_CREATE = re.compile(r"\bcreat(?:e|es|ing|ion)\b", re.IGNORECASE)


def summary_problem(planned: str, proposed: str) -> str | None:
    """A proposed title that changes the planner's counts, or says "create" for existing things. (Leaving
    a count out is fine.)"""
    counts = _NUMBER.findall(planned)
    for number in _NUMBER.findall(proposed):
        if number not in counts:
            return "the proposed summary changes the counts"
        counts.remove(number)
    if _CREATE.search(proposed) and not _CREATE.search(planned):
        return "the proposed summary says create for existing things"
    return None
