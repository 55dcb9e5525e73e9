"""Machine names as Drupal accepts them: the characters its machine-name element allows and the lengths its
storage allows (read from core, see data/SOURCE.md)."""

from __future__ import annotations

import re
import unicodedata

from ticketgen.drupal._utils import core

_LIMITS = core()["limits"]

# A field's machine name counts the "field_" prefix the Field UI adds (FieldStorageConfig::NAME_MAX_LENGTH).
FIELD_NAME_MAX: int = _LIMITS["field_name_max_length"]
# EntityTypeInterface::BUNDLE_MAX_LENGTH.
BUNDLE_MAX: int = _LIMITS["bundle_max_length"]
# ConfigEntityStorage::MAX_ID_LENGTH: the id part of a config entity's name.
CONFIG_ID_MAX: int = _LIMITS["config_entity_id_max_length"]
FIELD_PREFIX = "field_"

_MAX = {"field": FIELD_NAME_MAX, "bundle": BUNDLE_MAX, "config": CONFIG_ID_MAX}
_WHAT = {
    "field": "a field machine name (counting 'field_')",
    "bundle": "a bundle machine name",
    "config": "a config id",
}
_VALID = re.compile(r"[a-z0-9_]+")
_INVALID = re.compile(r"[^a-z0-9_]")
_REPLACED = re.compile(r"[^a-z0-9]+")


def _describe(character: str) -> str:
    if character == " ":
        return "spaces"
    if character.isupper():
        return "upper-case letters"
    return f"'{character}'"


def machine_name_problem(name: str) -> str | None:
    """Why Drupal's machine-name element would refuse `name` (it replaces anything but a-z, 0-9 and _), or
    None when it would keep it as written."""
    if not name:
        return "it is empty; Drupal needs a machine name"
    if _VALID.fullmatch(name):
        return None
    wrong: list[str] = []
    for character in _INVALID.findall(name):
        described = _describe(character)
        if described not in wrong:
            wrong.append(described)
    return f"it contains {', '.join(wrong)}; Drupal machine names use only lower-case letters, digits and _"


def length_problem(name: str, *, what: str) -> str | None:
    """Why `name` is too long for `what` ("field", "bundle" or "config"), or None."""
    limit = _MAX[what]
    if len(name) <= limit:
        return None
    return f"it is {len(name)} characters long; Drupal allows at most {limit} for {_WHAT[what]}"


def suggest(name_or_label: str, *, max_length: int | None = None) -> str:
    """A machine name Drupal keeps as written: transliterated, lower case, every run of other characters
    made one underscore, as the machine-name element does, without leading or trailing underscores."""
    ascii_text = unicodedata.normalize("NFKD", name_or_label).encode("ascii", "ignore").decode()
    name = _REPLACED.sub("_", ascii_text.lower()).strip("_")
    if max_length is not None:
        name = name[:max_length].rstrip("_")
    return name


def suggest_field_name(name_or_label: str) -> str:
    """A field machine name with the Field UI's "field_" prefix, within FIELD_NAME_MAX."""
    base = suggest(name_or_label)
    if base.startswith(FIELD_PREFIX):
        base = base[len(FIELD_PREFIX) :]
    return (FIELD_PREFIX + base)[:FIELD_NAME_MAX].rstrip("_")


def usable_field(name: str) -> str:
    """A field's name to build with: the Field UI turns a label-like name into field_<name>, so the proposal
    is the storage that name would be ("Formatted Headline" is field_formatted_headline)."""
    return name if machine_name_problem(name) is None else suggest_field_name(name)


def usable(name: str) -> str:
    """The name to build with: the spec's own when Drupal accepts it, else the proposal its open question
    makes (so config, paths and checks agree with the question instead of skipping the component)."""
    return name if machine_name_problem(name) is None else suggest(name)
