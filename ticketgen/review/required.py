"""Required fields some items can never fill.

A required field blocks saving until it has a value. For parts of a person's name that many people do not
have (a middle name, a suffix), a required box means those profiles cannot be saved, or editors type
filler into it. Only rows that create tickets are asked about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ticketgen.planner._utils import singular_words
from ticketgen.planner.index import SpecIndex
from ticketgen.review._utils import FieldRow, field_rows, fields_by_bundle, listing
from ticketgen.review.base import Question, question
from ticketgen.spec._utils import norm

TOPIC = "notes"
CODE = "required_not_everyone_has"
_OPTIONAL_BY_NATURE = re.compile(
    r"^(?:middle (?:name|initial)|suffix|name suffix|prefix|name prefix|nickname|maiden name|preferred name)$",
    re.I,
)


def check(index: SpecIndex) -> Iterable[Question]:
    return [*_questions(index), *_required_but_hidden(index), *_shown_by_a_missing_field(index)]


_SHOWN_WHEN = re.compile(
    r"\b(?:displayed|shown|show|visible) (?:only )?(?:if|when) (?:the )?(?P<ctl>[a-z][\w ]*?) (?:is|=|equals) "
    r"['\"“‘]?(?P<val>[\w ]+?)['\"”’]?\s*(?:[.;,]|$)",
    re.I,
)


def _shown_by_a_missing_field(index: SpecIndex) -> Iterator[Question]:
    """ "Only displayed if the list type is 'auto'" on Events List, which has no List Type field: the note was
    copied from a bundle that has one, and the condition cannot be built."""
    by_bundle = fields_by_bundle(index)
    for fields in by_bundle.values():
        labels = {" ".join(singular_words(f.label)) for f in fields if f.label}
        asked: dict[tuple[str, str], list[FieldRow]] = {}
        for f in fields:
            m = _SHOWN_WHEN.search(" ".join((f.row.get("Settings/notes") or "").split()))
            if not m or not index.ticketed(f.row):
                continue
            control = " ".join(singular_words(m.group("ctl")))
            if control and control not in labels:
                asked.setdefault((m.group("ctl"), m.group("val")), []).append(f)
        for (control, value), shown in asked.items():
            first = shown[0]
            having = [
                g.bundle_label
                for (etype, _), others in by_bundle.items()
                if etype == first.etype and others is not fields
                for g in others
                if " ".join(singular_words(g.label)) == " ".join(singular_words(control))
            ]
            source = (
                f" {listing(sorted(set(having))[:3])} {'has' if len(set(having)) == 1 else 'have'} one: copied from there?"
                if having
                else ""
            )
            yield question(
                "shown_by_missing_field",
                topic=TOPIC,
                file=first.file.name,
                row=first.row.number,
                column="Settings/notes",
                value=first.row.get("Settings/notes"),
                message=f"{listing([f.label for f in shown])} on {first.bundle_label} "
                f"{'are' if len(shown) > 1 else 'is'} shown only when “the {control} is {value}”, but "
                f"{first.bundle_label} has no {control} field.{source} Add the field (with its values), or drop "
                "the condition.",
                hint=f"Add a {control} field to {first.bundle_label}, or drop the condition from these notes.",
                also=[f.at for f in shown[1:]],
            )


_SHOWN_OTHERWISE = re.compile(
    r"\b(?:is |are )?shown\b.*\botherwise\b|\botherwise\b.*\b(?:is |are )?shown\b", re.I
)


def _required(field: FieldRow) -> bool:
    return norm(field.row.get("Req'd")) in {"y", "yes"}


def _required_but_hidden(index: SpecIndex) -> Iterator[Question]:
    """ "If combo, the buttons (multifield) field is shown, otherwise the single button": one of the two is
    always hidden, and a hidden required field still blocks saving unless its required state is conditional too."""
    by_bundle = fields_by_bundle(index)
    for fields in by_bundle.values():
        for control in fields:
            sentence = next(
                (
                    x
                    for x in re.split(r"(?<=[.;])\s+", control.row.get("Settings/notes") or "")
                    if _SHOWN_OTHERWISE.search(x)
                ),
                "",
            )
            if not sentence or not index.ticketed(control.row):
                continue
            said = f" {' '.join(singular_words(sentence))} "
            shown = [
                f
                for f in fields
                if f is not control and f.label and f" {' '.join(singular_words(f.label))} " in said
            ]
            required = [f for f in shown if _required(f) and index.ticketed(f.row)]
            if len(shown) < 2 or not required:
                continue
            names = listing([f"{f.label} (row {f.row.number})" for f in required])
            optional_control = (
                ""
                if _required(control)
                else (f" And {control.label} itself is optional: which of them shows when it is left empty?")
            )
            yield question(
                "required_but_hidden",
                topic=TOPIC,
                file=control.file.name,
                row=control.row.number,
                column="Settings/notes",
                value=control.row.get("Settings/notes"),
                message=f"The note of {control.label} on {control.bundle_label} shows "
                f"{listing([f.label for f in shown], 'or')} depending on its value, so one of them is always hidden, "
                f"yet {names} {'are' if len(required) > 1 else 'is'} required (Req'd = y): a hidden required field "
                "still blocks saving. Should each be required only while it is shown (a Conditional Fields "
                f"“required” state)?{optional_control}",
                hint="Make the fields optional and required only while shown, or say which must always be filled.",
                also=[f.at for f in required],
            )


def _questions(index: SpecIndex) -> Iterator[Question]:
    for field in field_rows(index):
        label = " ".join(field.label.split())
        if not _OPTIONAL_BY_NATURE.match(label) or norm(field.row.get("Req'd")) not in {"y", "yes"}:
            continue
        if not index.ticketed(field.row):
            continue
        fix = f"Make {label} optional (Req'd = n), or confirm that every {field.bundle_label} has one."
        yield question(
            CODE,
            topic=TOPIC,
            file=field.file.name,
            row=field.row.number,
            column="Req'd",
            value=field.row.get("Req'd"),
            message=f"{label} on {field.bundle_label} is required, but many people have no "
            f"{label.casefold()}: a {field.bundle_label} for such a person could not be saved without a made-up "
            "value. "
            f"{fix}",
            hint=fix,
            suggestions=("n",),
        )
