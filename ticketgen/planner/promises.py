"""Help text that promises a field is hidden for one value of a list field on the same bundle ("Links will not
be shown on a video hero") says exactly what QA can try: set the list to that value and look. A criterion
that only quotes the promise leaves QA to work out which field and value it means."""

from __future__ import annotations

import re
from difflib import get_close_matches

_HIDDEN_FOR = re.compile(
    r"\b(?:will )?not (?:be )?(?:shown|displayed|visible|rendered) (?:on|for|in|with) (?:a|an|the) "
    r"(?P<value>[\w-]+(?: [\w-]+)?) (?P<noun>\w+)",
    re.IGNORECASE,
)
_CHOICES = re.compile(r"offers exactly these choices, in this order: (?P<items>.+)\.$")
_PROMISE = "Check on a sample "


def hidden_for_a_choice(fields: list[dict], bundle_label: str) -> None:
    """Rewrite, in place, each help-text promise of this kind whose value is one of a list field's choices
    (spelling slips allowed: "vdeo" is the "Video" choice)."""
    lists = [(f, _choices(f)) for f in fields]
    lists = [(f, choices) for f, choices in lists if choices]
    for f in fields:
        for clause in f.get("clauses", []):
            m = _HIDDEN_FOR.search(clause["text"])
            if not (m and clause.get("help") and clause["criterion"].startswith(_PROMISE)):
                continue
            if m.group("noun").casefold().rstrip("s") not in bundle_label.casefold():
                continue
            for owner, choices in lists:
                if owner is f:
                    continue
                close = get_close_matches(
                    m.group("value").casefold(), [c.casefold() for c in choices], 1, 0.8
                )
                if close:
                    choice = next(c for c in choices if c.casefold() == close[0])
                    clause["criterion"] = (
                        f"With {_who(owner)} set to “{choice}”, a published {bundle_label} does not show "
                        f"{_who(f)}, even when it is filled in; with another {owner['label']} it does (what the "
                        f"help text of {_who(f)} promises: a condition in the template)."
                    )
                    break


def _who(f: dict) -> str:
    return f"{f['label']} ({f['machine_name']})" if f.get("machine_name") else f["label"]


def _choices(f: dict) -> list[str]:
    for clause in f.get("clauses", []):
        if m := _CHOICES.search(clause["criterion"]):
            return re.findall(r"“([^”]+)”", m.group("items"))
    return []
