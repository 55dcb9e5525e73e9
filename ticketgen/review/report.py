"""The spec review as the spec owner reads it: questions grouped by topic, each with the rows, the cell and
the fix. The same report backs `ticketgen review`, the panel's Spec review tab and its download."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ticketgen.codes import StatusCodes
from ticketgen.markdown import block_text, code_span, escape, heading_text, question_rows
from ticketgen.review import Review
from ticketgen.review.base import NEEDS_DECISION, TOPICS, Question
from ticketgen.spec.codes import CODES

VALUE_LIMIT = 90  # a help text or a note is shown in part: the rows say where the rest is


def topic_order(questions: Sequence[Question]) -> list[str]:
    """Known topics in their catalogue order, then any other, as first met."""
    present = list(dict.fromkeys(q.topic for q in questions))
    return [t for t in TOPICS if t in present] + [t for t in present if t not in TOPICS]


def as_json(review: Review) -> dict[str, Any]:
    questions = review.questions
    return {
        "count": len(questions),
        "counts": dict(Counter(q.code for q in questions)),
        "topics": [
            {
                "topic": topic,
                "title": TOPICS.get(topic, topic),
                "questions": [_question_json(q) for q in questions if q.topic == topic],
            }
            for topic in topic_order(questions)
        ],
    }


def _question_json(q: Question) -> dict[str, Any]:
    return {
        **q.to_dict(),
        "topic": q.topic,
        "column": q.finding.column,
        "value": q.finding.value,
        "fix": q.finding.hint,
        "suggestions": list(q.finding.suggestions),
        "keys": list(q.keys),
    }


def markdown(review: Review, *, title: str) -> str:
    questions = review.questions
    lines = [f"# {heading_text(title)}", "", _intro(questions)]
    if questions:
        lines += ["", "| Topic | Questions |", "| --- | ---: |"]
        lines += [
            f"| [{escape(TOPICS.get(t, t))}](#{_anchor(t)}) | {sum(q.topic == t for q in questions)} |"
            for t in topic_order(questions)
        ]
    for topic in topic_order(questions):
        mine = [q for q in questions if q.topic == topic]
        lines += ["", f'## <a id="{_anchor(topic)}"></a>{heading_text(TOPICS.get(topic, topic))}']
        for code in dict.fromkeys(q.code for q in mine):
            of_code = [q for q in mine if q.code == code]
            lines += ["", f"### {_code_heading(code)} (`{code}`, {len(of_code)})", ""]
            lines += [_item(i, q) for i, q in enumerate(of_code, 1)]
    return "\n".join(lines) + "\n"


def _intro(questions: Sequence[Question]) -> str:
    if not questions:
        return "The review found nothing to ask the spec owner."
    rows = {row for q in questions for row in q.rows}
    files = {file for file, _ in rows}
    count = f"{len(questions)} question{'s' if len(questions) != 1 else ''}"
    return (
        f"{count} for the spec owner, about {len(rows)} rows of {len(files)} "
        f"file{'s' if len(files) != 1 else ''}. Each one is a warning: it never blocks drafting. It is also an "
        f"open question on every ticket citing one of its rows, and those tickets carry the label "
        f"`{NEEDS_DECISION}` until someone decides."
    )


def _code_heading(code: str) -> str:
    known = CODES.get(code)
    return heading_text(known.description.rstrip(".") if known else code.replace("_", " "))


def _item(number: int, q: Question) -> str:
    where = question_rows(q.to_dict())
    cell = ""
    if q.finding.column:
        value = " ".join((q.finding.value or "").split())
        if len(value) > VALUE_LIMIT:
            value = value[: VALUE_LIMIT - 1] + "…"
        cell = f", {escape(q.finding.column)}" + (f" {code_span(value)}" if value else " (blank)")
    lines = [f"{number}. **{escape(where)}**{cell}: {block_text(q.message, '   ')}"]
    fix = q.finding.hint
    if fix and _plain(fix) not in _plain(q.message):
        lines.append(f"   - Fix: {block_text(fix, '     ')}")
    shown = [s for s in q.finding.suggestions if s and s not in q.message]
    if shown:
        lines.append(f"   - Suggested: {', '.join(code_span(s) for s in shown)}")
    return "\n".join(lines)


def _plain(text: str) -> str:
    return " ".join(text.split())


def _anchor(topic: str) -> str:
    return "topic-" + re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")


def report_of(
    files: Sequence[tuple[str, bytes]], *, codes: StatusCodes, overrides: Mapping[str, str], title: str
) -> tuple[dict[str, Any], str]:
    """The review as the panel shows it and as the Markdown download, from the files in one call."""
    from ticketgen.review import review
    from ticketgen.spec import load

    found = review(load(files, codes=codes, overrides=overrides), codes=codes)
    return as_json(found), markdown(found, title=title)
