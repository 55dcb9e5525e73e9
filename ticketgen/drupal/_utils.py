from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any

_PUNCTUATION = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def norm(label: str) -> str:
    """Spec authors vary case, spacing and punctuation ("Paragraphs Stable" for "Paragraphs (stable)"),
    never the words: labels are compared on this form only. Word boundaries stay, so "Text field" (formatted
    text) and "Textfield" (plain text) remain different widgets."""
    return _PUNCTUATION.sub(" ", label.casefold()).strip()


@cache
def load(name: str) -> dict[str, Any]:
    return json.loads(resources.files("ticketgen.drupal").joinpath("data", name).read_text(encoding="utf-8"))


def core() -> dict[str, Any]:
    return load("core-field-plugins.json")


def contrib() -> dict[str, Any]:
    return load("contrib-field-plugins.json")
