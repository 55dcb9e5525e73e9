"""Markdown for drafts: one draft (the attachment of an over-budget description) or a whole plan as a
document a team lead can skim without running anything.

Cell text is escaped so that GitHub renders it verbatim: spreadsheet cells hold HTML (`<strong>`),
pipes, brackets and asterisks that would otherwise turn into markup or break the table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ticketgen.drafts.model import CATEGORIES, KIND_ORDER, Draft, Source, Table

ON_HOLD = "on-hold"
NEEDS_DECISION = "needs-decision"  # the label of drafts with open questions (ticketgen.review.base)
QUESTIONS_TITLE = "Open questions — decide before building"
BUILD_TITLE = "Build and verify"
_ALWAYS_ESCAPED = frozenset("\\`*[]<|~$")
_LINE_START = re.compile(r"^(?:[#>+=-]|\d+[.)])")
_ENTITY = re.compile(r"&(#?\w+;)")


def escape(text: str) -> str:
    """Backslash-escape what GitHub Markdown would read as markup, keeping the text readable."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in _ALWAYS_ESCAPED:
            out.append("\\" + ch)
        elif ch == "_":
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            out.append("_" if before.isalnum() and after.isalnum() else "\\_")
        else:
            out.append(ch)
    return _ENTITY.sub(r"&amp;\1", "".join(out))


def _escape_line(line: str) -> str:
    line = escape(line.lstrip())  # leading spaces would start a code block, and HTML drops them anyway
    match = _LINE_START.match(line)
    if match:  # a block marker at the start of a line: escape its last character
        line = line[: match.end() - 1] + "\\" + line[match.end() - 1 :]
    return line


def block_text(text: str, indent: str = "") -> str:
    """Paragraph text: escaped, one Markdown hard break per line break of the original."""
    return ("\\\n" + indent).join(_escape_line(line) for line in split_lines(text))


def cell_text(text: str) -> str:
    """Table cell text: escaped, line breaks as `<br>` (a GFM table row is one line)."""
    return "<br>".join(escape(line) for line in split_lines(text))


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def row_ranges(rows: Iterable[int]) -> str:
    """Spreadsheet rows as a person writes them: `2–14, 17, 20–22`."""
    numbers = sorted(set(rows))
    parts: list[str] = []
    start = prev = None
    for n in [*numbers, None]:
        if start is not None and (n is None or n != prev + 1):
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = None
        if n is not None and start is None:
            start = n
        prev = n
    return ", ".join(parts)


def source_line(source: Source) -> str:
    """`UWEC_Fields.csv rows 2–14`."""
    if not source.rows:
        return source.file
    word = "row" if len(source.rows) == 1 else "rows"
    return f"{source.file} {word} {row_ranges(source.rows)}"


def question_rows(question: Mapping[str, Any]) -> str:
    """`UWEC_Fields.csv rows 12, 14; UWEC_Bundles.csv row 3`: where in the spec a question's doubt sits."""
    by_file: dict[str, list[int]] = {}
    for row in question.get("rows") or []:
        if isinstance(row, Mapping) and isinstance(row.get("row"), int):
            by_file.setdefault(str(row.get("file") or "spec"), []).append(row["row"])
    return "; ".join(source_line(Source(file, rows)) for file, rows in by_file.items())


def verify_parts(entry: Mapping[str, Any]) -> tuple[str, str, str]:
    """(check, command, expected value) of one verify entry, each on one line."""

    def line(name: str) -> str:
        return " ".join(str(entry.get(name) or "").split())

    return line("check"), line("command"), line("expect")


def has_build(draft: Draft) -> bool:
    return bool(draft.modules or draft.admin_path or draft.config or draft.verify)


def needs_decision(draft: Draft) -> bool:
    return bool(draft.questions) or NEEDS_DECISION in draft.labels


def row_count(draft: Draft) -> int:
    return sum(len(t.rows) for t in draft.tables)


def anchors(keys: Iterable[str]) -> dict[str, str]:
    """An HTML id per key, unique even when two keys differ only in punctuation."""
    found: dict[str, str] = {}
    used: set[str] = set()
    for key in keys:
        base = candidate = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-") or "draft"
        n = 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        found[key] = candidate
    return found


def heading_text(text: str) -> str:
    """One line; `#` escaped so a trailing one is not read as a closing sequence."""
    return escape(" ".join(text.split())).replace("#", "\\#")


def padded_rows(table: Table) -> list[list[str]]:
    """Header, then rows, all as wide as the widest: spreadsheet rows can be shorter or longer than the header."""
    width = max([len(table.columns), *(len(r) for r in table.rows)])
    return [[*r, *[""] * (width - len(r))] for r in (table.columns, *table.rows)]


def table_markdown(table: Table) -> str:
    header, *rows = padded_rows(table)
    if not header:
        return ""
    lines = [
        "| " + " | ".join(cell_text(c) for c in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(cell_text(c) for c in cells) + " |" for cells in rows]
    return "\n".join(lines)


def code_span(text: str) -> str:
    """Inline code that survives backticks in the value (a longer fence, padded)."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def verify_markdown(entry: Mapping[str, Any]) -> str:
    """`Job ID is plain text: `drush config:get …` → `string``: what to check, how, and what to expect."""
    check, command, expect = verify_parts(entry)
    how = " → ".join(code_span(part) for part in (command, expect) if part)
    return f"{block_text(check)}: {how}" if check and how else block_text(check) or how


def questions_markdown(questions: Sequence[Mapping[str, Any]]) -> str:
    """A GitHub warning alert (a quote elsewhere): every open question with the spec rows it is about."""
    lines = ["> [!WARNING]", f"> **{QUESTIONS_TITLE}**", ">"]
    for question in questions:
        item = f"> - {block_text(str(question.get('message') or question.get('code') or ''), '>   ')}"
        rows = question_rows(question)
        lines.append(item + (f"\\\n>   *Spec: {escape(rows)}*" if rows else ""))
    return "\n".join(lines)


def build_markdown(draft: Draft) -> str:
    """Modules, where, the config that must come out, and the checks (closing steps included)."""
    parts = [f"**{BUILD_TITLE}**"]
    lead = []
    if draft.modules:
        lead.append("**Modules to enable:** " + ", ".join(code_span(m) for m in draft.modules))
    if draft.admin_path:
        lead.append(f"**Where:** {code_span(draft.admin_path)}")
    if lead:
        parts.append("  \n".join(lead))
    if draft.config:
        items = "\n".join(f"- {code_span(name)}" for name in draft.config)
        parts.append(f"**Configuration this produces**\n\n{items}")
    if draft.verify:
        items = "\n".join(f"{i}. {verify_markdown(v)}" for i, v in enumerate(draft.verify, 1))
        parts.append(f"**Verify**\n\n{items}")
    return "\n\n".join(parts)


def _key_list(keys: Sequence[str], links: Mapping[str, str]) -> str:
    return ", ".join(f"[`{k}`](#{links[k]})" if k in links else f"`{k}`" for k in keys)


def draft_markdown(
    draft: Draft,
    *,
    level: int = 1,
    blocks: Sequence[str] = (),
    links: Mapping[str, str] | None = None,
    number: int = 0,
    for_jira: bool = False,
) -> str:
    """One draft as Markdown. `links` maps keys to anchors of the same document (its own included).
    `for_jira`: the issue's attachment, which names no draft by its internal key (the issue's Blocks
    links carry the relations); the developers' plan document keeps the keys, its cross-references."""
    links = links or {}
    h = "#" * level
    target = f'<a id="{links[draft.key]}"></a>' if draft.key in links else ""
    parts = [f"{h} {target}{f'{number}. ' if number else ''}{heading_text(draft.summary)}"]
    meta = [] if for_jira else [f"`{draft.key}`"]
    meta.append(f"kind: {draft.kind}")
    if draft.category and not for_jira:
        meta.append(f"category: {draft.category}")
    if draft.estimate and not for_jira:
        meta.append(f"estimate: {points(draft.estimate.points)} ({draft.estimate.original_estimate})")
    if draft.labels:
        meta.append("labels: " + ", ".join(f"`{label}`" for label in draft.labels))
    if draft.writer != "template":
        meta.append(f"writer: {draft.writer}")
    parts.append(" · ".join(meta))
    if draft.questions:
        parts.append(questions_markdown(draft.questions))
    if ON_HOLD in draft.labels:
        parts.append("> **On hold:** waiting on a decision before this can be built.")
    if draft.user_story:
        parts.append(f"**User story.** {block_text(draft.user_story)}")
    if draft.criteria:
        items = "\n".join(f"- [ ] {block_text(c, '  ')}" for c in draft.criteria)
        parts.append(f"**Success criteria**\n\n{items}")
    if has_build(draft):
        parts.append(build_markdown(draft))
    for table in draft.tables:
        body = table_markdown(table)
        if body:
            parts.append(f"{h}# {heading_text(table.title or 'Configuration')}\n\n{body}")
    if draft.notes:
        items = "\n".join(f"- {block_text(n, '  ')}" for n in draft.notes)
        parts.append(f"**Notes**\n\n{items}")
    trace = (
        [f"**Source:** {'; '.join(escape(source_line(s)) for s in draft.sources)}"] if draft.sources else []
    )
    if draft.depends_on and not for_jira:
        trace.append(f"**Blocked by:** {_key_list(draft.depends_on, links)}")
    if blocks and not for_jira:
        trace.append(f"**Blocks:** {_key_list(blocks, links)}")
    if draft.estimate and draft.estimate.basis and not for_jira:
        trace.append(f"**Estimate:** {escape('; '.join(draft.estimate.basis))}")
    if trace:
        parts.append("  \n".join(trace))
    return "\n\n".join(parts) + "\n"


def points(n: int) -> str:
    return f"{n} point{'s' * (n != 1)}"


def category_table(drafts: Sequence[Draft]) -> str:
    """Tickets, story points and hours per work category: what each discipline of the team has to do."""
    rows = []
    for name in [*CATEGORIES, ""]:
        mine = [d for d in drafts if d.category == name]
        if not mine:
            continue
        sized = [d.estimate for d in mine if d.estimate]
        hours = round(sum(e.seconds for e in sized) / 3600)
        rows.append(
            f"| {name or 'uncategorised'} | {len(mine)} | {sum(e.points for e in sized)} | {hours}h |"
        )
    return "| category | tickets | points | hours |\n| --- | ---: | ---: | ---: |\n" + "\n".join(rows)


def blocks_index(drafts: Iterable[Draft]) -> dict[str, list[str]]:
    """Reverse of `depends_on`: for each blocker key, the keys it blocks (in draft order)."""
    index: dict[str, list[str]] = {}
    for d in drafts:
        for blocker in d.depends_on:
            index.setdefault(blocker, []).append(d.key)
    return index


def kind_counts(drafts: Iterable[Draft]) -> dict[str, int]:
    """Counts for every kind in export tie-break order (zeros included), then any unexpected kind."""
    counts = Counter(d.kind for d in drafts)
    ordered = {kind: counts.pop(kind, 0) for kind in KIND_ORDER}
    return {**ordered, **dict(sorted(counts.items()))}


def counts_line(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)


def plan_markdown(drafts: Sequence[Draft], *, title: str, intro: str = "") -> str:
    """The whole plan, drafts in the order given (export order)."""
    counts = kind_counts(drafts)
    blocks = blocks_index(drafts)
    edges = sum(len(d.depends_on) for d in drafts)
    on_hold = sum(ON_HOLD in d.labels for d in drafts)
    undecided = sum(needs_decision(d) for d in drafts)
    over = [f"# {block_text(title)}"]
    if intro:
        over.append(intro)
    over.append(
        f"{len(drafts)} ticket drafts, {edges} dependency links (blocker first), {on_hold} on hold, "
        f"{undecided} with open questions to decide before building (label `{NEEDS_DECISION}`). "
        "Sections follow the export order: every ticket comes after the tickets that block it."
    )
    over.append(
        "| kind | tickets |\n| --- | ---: |\n"
        + "\n".join(f"| {kind} | {n} |" for kind, n in counts.items())
        + f"\n| **total** | **{len(drafts)}** |"
    )
    if any(d.category for d in drafts):
        over.append(category_table(drafts))
    links = anchors(d.key for d in drafts)
    toc = "\n".join(
        f"{i}. [{escape(d.summary)}](#{links[d.key]}) — `{d.key}`" + (" · open questions" * needs_decision(d))
        for i, d in enumerate(drafts, 1)
    )
    over.append(f"## Contents\n\n{toc}")
    sections = [
        draft_markdown(d, level=2, blocks=blocks.get(d.key, ()), links=links, number=i)
        for i, d in enumerate(drafts, 1)
    ]
    return "\n\n".join(over) + "\n\n---\n\n" + "\n---\n\n".join(sections)
