"""Checks LLM copy before it reaches a ticket: a failed check sends the ticket to the template writer.

The model's output is as untrusted as its input (the spec may carry an injection), so the checks are
about what a reader would be misled by: a second sentence, a table, a placeholder, a machine name that
exists nowhere in the spec.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator

from ticketgen.writers._prompt import COPY_SCHEMA, MAX_STORY, MIN_CRITERIA
from ticketgen.writers._utils import distinct

MIN_STORY = 20
MIN_CRITERION = 5

# Drupal's own vocabulary (entity types, config prefixes, modules, field types): not from the spec, not invented.
DRUPAL_NAMES = frozenset({
    "block_content", "taxonomy_term", "paragraphs_type", "media_type", "node_type", "user_role",
    "image_style", "responsive_image", "responsive_image_style", "entity_view_display", "entity_form_display",
    "entity_view_mode", "entity_form_mode", "view_mode", "form_mode", "content_moderation", "layout_builder",
    "field_ui", "config_sync", "entity_reference", "entity_reference_revisions", "text_long", "text_with_summary",
    "string_long", "list_string", "list_integer", "list_float", "datetime_range", "link_default",
    "string_textfield", "string_textarea", "media_library_widget", "options_select", "options_buttons",
    "entity_reference_autocomplete", "image_image", "file_generic", "datetime_default",
})  # fmt: skip
_MACHINE_NAME = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+(?=[A-Z])")
_TABLE = re.compile(r"\|\s*:?-{3,}|^\s*\|.*\|\s*$|\|.*\|.*\|")
_PLACEHOLDER = re.compile(
    r"\b(?:TBD|TBC|TODO|FIXME|XXX|lorem ipsum)\b|\?\?\?|\{\{?[^}]*\}\}?|<[^<>]{1,40}>|\[(?:insert|placeholder|name|todo)[^\]]*\]",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s|```)")
_validator = Draft202012Validator(COPY_SCHEMA)


def texts_of(value: Any) -> Iterator[str]:
    """Every string in nested data (dict keys included): what the copy may cite as machine names."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield str(k)
            yield from texts_of(v)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from texts_of(v)
    elif value is not None:
        yield str(value)


def machine_tokens(texts: Iterable[str]) -> set[str]:
    """snake_case tokens (`field_event_date`, `academic_program`, `42x42_2x`) in lower case."""
    found: set[str] = set()
    for text in texts:
        found.update(t for t in _MACHINE_NAME.findall(text.lower()) if any(c.isalpha() for c in t))
    return found


def copy_problem(item: Any, *, known: set[str], source: str = "") -> str | None:
    """The first reason `item` (one entry of the tool input) can't be used, or None when it is fine.

    `source` is the text the copy was written from: what looks like a placeholder but is quoted from it
    (`<strong>` or `<title>` in help text and notes) is the spec's own wording, not an invented gap."""
    error = next(iter(_validator.iter_errors(item)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "entry"
        return f"malformed copy at {where}: {error.validator} check failed"
    story = item["user_story"].strip()
    criteria = distinct(item["success_criteria"])
    summary = item.get("summary", "").strip()
    if not MIN_STORY <= len(story) <= MAX_STORY:
        return f"user story length {len(story)} outside {MIN_STORY}..{MAX_STORY}"
    if "\n" in story or _SENTENCE_BREAK.search(story):
        return "user story is more than one sentence"
    if any(len(c) < MIN_CRITERION for c in criteria):
        return "a success criterion is too short"
    if len(criteria) < MIN_CRITERIA:
        return f"fewer than {MIN_CRITERIA} distinct success criteria"
    if "summary" in item and (not summary or "\n" in summary):
        return "summary is empty or spans several lines"
    texts = [story, summary, *criteria]
    for text in texts:
        if "\n" in text.strip() or _MARKUP.search(text):
            return "copy contains line breaks or markdown"
        if _TABLE.search(text):
            return "copy contains a markdown table"
        if any(m.group(0).lower() not in source.lower() for m in _PLACEHOLDER.finditer(text)):
            return "copy contains a placeholder"
    invented = sorted(machine_tokens(texts) - known - DRUPAL_NAMES)
    if invented:
        return f"copy names machine names absent from the spec: {', '.join(invented[:5])}"
    return None
