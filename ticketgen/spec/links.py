"""Hard and soft links across files (SPEC §3): empty, unresolved, or pointing at a file type not uploaded."""

from __future__ import annotations

from collections.abc import Sequence

from ticketgen.spec._utils import has_column, is_error_value, quote
from ticketgen.spec.model import Row, SpecFile
from ticketgen.spec.report import Reporter
from ticketgen.spec.suggest import MAX_SUGGESTIONS, suggest
from ticketgen.spec.types import Link, LinkIndex, get


def link_index(link: Link, files: Sequence[SpecFile]) -> LinkIndex:
    """Every row of the link's target type in these files (e.g. `spec.files`), ready for `find`/`resolve`."""
    return LinkIndex(link, ((f, row) for f in files if f.type == link.target for row in f.rows))


def check_links(files: list[SpecFile], report: Reporter) -> None:
    present = {f.type for f in files}
    indexes: dict[int, LinkIndex] = {}
    for file in files:
        file_type = get(file.type)
        if file_type is None:
            continue
        for link in file_type.links:
            if not has_column(file.columns, link.column):
                continue  # reported once as a missing column
            if link.target not in present:
                if link.hard:
                    _missing_file(file, link, report)
                continue
            if id(link) not in indexes:
                indexes[id(link)] = link_index(link, files)
            check = _check_hard if link.hard else _check_soft
            for row in file.rows:
                check(file, row, indexes[id(link)], report)


def _missing_file(file: SpecFile, link: Link, report: Reporter) -> None:
    linking = [row for row in file.rows if row.get(link.column)]
    if not linking:
        return
    ticketed = any(report.creates_ticket(row) for row in linking)
    message = (
        f"{len(linking)} rows name {_a(link.noun)} {link.noun} in '{link.column}', but no {_words(link.target)} file is in "
        "the batch, so none of them can be checked or linked."
    )
    if not ticketed:
        message += " It is only a warning because none of these rows creates a ticket."
    report.add(
        "missing_link_file",
        file=file.name,
        row=None,
        column=link.column,
        value=None,
        severity="error" if ticketed else "warning",
        message=message,
        hint=f"Upload the {_words(link.target)} CSV together with this file.",
    )


def _check_hard(file: SpecFile, row: Row, index: LinkIndex, report: Reporter) -> None:
    link = index.link
    cell = row.get(link.column)
    target = f"{_a(link.noun)} {link.noun}'s {link.target_columns[0]}"
    source = _words(link.target)
    suggestions: tuple[str, ...] = ()
    if not cell:
        code, value = "empty_link", ""
        message = f"Row {row.number}: '{link.column}' is blank, so this row is not linked to any {link.noun}."
        hint = f"Enter {target} from the {source} file."
    elif is_error_value(cell):
        code, value = "unresolved_link", cell
        message = (
            f"Row {row.number}: '{link.column}' holds the spreadsheet error {cell}: the sheet's own "
            f"lookup of the {link.noun} failed."
        )
        hint = f"Fix the formula, or type {target} from the {source} file."
    elif unresolved := _unresolved(row, index):
        code, (value, suggestions) = "unresolved_link", unresolved
        message = (
            f"Row {row.number}: '{link.column}' names the {link.noun} {quote(value)}, which is not in "
            f"the {source} file{link.scope_words(row)}."
        )
        hint = f"Correct it to {target} listed in the {source} file, or add that {link.noun} there."
    else:
        return
    report.add(
        code,
        file=file.name,
        row=row,
        column=link.column,
        value=value,
        impact=True,
        message=message,
        hint=hint,
        suggestions=suggestions,
    )


def _check_soft(file: SpecFile, row: Row, index: LinkIndex, report: Reporter) -> None:
    link = index.link
    if is_error_value(row.get(link.column)):
        return  # reported as a spreadsheet error by the cell rules
    if unresolved := _unresolved(row, index):
        texts, suggestions = unresolved
        report.add(
            "soft_link_unresolved",
            file=file.name,
            row=row,
            column=link.column,
            value=texts,
            severity="warning",
            message=f"Row {row.number}: '{link.column}' mentions {quote(texts)}, which matches no {link.noun} in "
            f"the {_words(link.target)} file{link.scope_words(row)}; no dependency is drawn for it.",
            hint=f"If it is a typo, write the {link.noun}'s name as the {_words(link.target)} file has it "
            "(case and spacing don't matter).",
            suggestions=suggestions,
        )


def _unresolved(row: Row, index: LinkIndex) -> tuple[str, tuple[str, ...]] | None:
    """The unresolved values of the cell (joined) and suggestions for them, or None when all resolve."""
    missing = [ref for ref, matches in index.resolve(row) if not matches]
    if not missing:
        return None
    suggestions: dict[str, None] = {}
    for ref in missing:
        suggestions.update(dict.fromkeys(suggest(ref.text, index.names(ref.scope))))
    return ", ".join(ref.text for ref in missing), tuple(suggestions)[:MAX_SUGGESTIONS]


def _words(type_name: str) -> str:
    return type_name.replace("_", " ")


def _a(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"
