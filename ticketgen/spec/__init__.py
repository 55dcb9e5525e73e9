"""The spec engine: spec CSVs in, typed and validated `Spec` out.

spec = load([(name, data), ...])          # pure: parse + detect + validate + Drupal-aware review
spec = load_dir("examples/uwec")          # reads the folder's *.csv files, sorted by name
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ticketgen.codes import DEFAULT_CODES, StatusCodes
from ticketgen.spec._utils import norm
from ticketgen.spec.codes import CODES, finding
from ticketgen.spec.detect import Detection, detect
from ticketgen.spec.limits import (
    MAX_ROWS_PER_BATCH,
    MAX_ROWS_PER_FILE,
    batch_rows_full,
    cap_findings,
    check_limits,
)
from ticketgen.spec.model import UNKNOWN, Finding, Row, Spec, SpecFile
from ticketgen.spec.parse import Table, parse
from ticketgen.spec.types import FILE_TYPES, TYPE_NAMES, get
from ticketgen.spec.validate import validate

__all__ = [
    "CODES",
    "FILE_TYPES",
    "TYPE_NAMES",
    "UNKNOWN",
    "Finding",
    "Row",
    "Spec",
    "SpecFile",
    "load",
    "load_dir",
]


def load(
    files: Sequence[tuple[str, bytes]],
    *,
    codes: StatusCodes = DEFAULT_CODES,
    overrides: Mapping[str, str] | None = None,
) -> Spec:
    """Parse, type and validate a batch of spec CSVs. `overrides` maps a file name to the type the user
    picked for it (`unknown` to ignore it)."""
    overrides = overrides or {}
    allowed, findings = check_limits(files)
    spec_files: list[SpecFile] = []
    rows_left = MAX_ROWS_PER_BATCH
    for index, (name, data) in enumerate(files):
        if index in allowed and rows_left <= 0:
            findings.append(batch_rows_full(name))
        if index not in allowed or rows_left <= 0:
            spec_files.append(SpecFile(name, UNKNOWN, 0.0, (), (), size=len(data)))
            continue
        table = parse(name, data, max_rows=min(MAX_ROWS_PER_FILE, rows_left))
        rows_left -= len(table.rows)
        findings.extend(table.findings)
        if not table.readable:
            spec_files.append(SpecFile(name, UNKNOWN, 0.0, (), (), size=len(data)))
            continue
        detection = _type_of(name, table, overrides.get(name), findings)
        findings.extend(_header_findings(name, table, detection))
        spec_files.append(
            SpecFile(name, detection.type, detection.confidence, table.columns, table.rows, len(data))
        )
    if any(f.columns for f in spec_files) and all(f.type == UNKNOWN for f in spec_files):
        findings.append(no_spec_file(spec_files))  # files read, none of them a spec sheet
    findings.extend(validate(spec_files, codes=codes))
    questions, index = _review(spec_files, findings, codes)
    findings.extend(q.finding for q in questions if not q.reported)
    order = {f.name: i for i, f in enumerate(spec_files)}
    findings.sort(key=lambda f: (order.get(f.file, len(order)), f.row or 0))
    return Spec(tuple(spec_files), tuple(cap_findings(findings)), tuple(questions), codes, index)


def _review(files: list[SpecFile], findings: list[Finding], codes: StatusCodes) -> tuple[list[Any], Any]:
    """The Drupal-aware review's warnings. It reads a `Spec` (and the engine's own findings, so that it does
    not report a cell twice), hence the interim one; imported here because the review builds on the planner,
    which builds on this package."""
    from ticketgen.planner.index import SpecIndex
    from ticketgen.review import review

    index = SpecIndex(Spec(tuple(files), tuple(findings)), codes)
    return review(index.spec, codes=codes, index=index).questions, index


def load_dir(path: str | Path) -> Spec:
    """The folder's `*.csv` files, sorted by name. Raises `NotADirectoryError`/`FileNotFoundError`/`OSError`."""
    folder = Path(path)
    if not folder.exists():
        raise FileNotFoundError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise NotADirectoryError(f"not a folder: {folder}")
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    return load([(p.name, p.read_bytes()) for p in paths])


def _type_of(name: str, table: Table, override: str | None, findings: list[Finding]) -> Detection:
    if override is not None:
        if override == UNKNOWN or get(override) is not None:
            return Detection(override, 1.0 if override != UNKNOWN else 0.0, ())
        findings.append(
            finding(
                "unknown_type",
                file=name,
                value=override,
                message=f"'{override}' is not a spec file type, so the type was detected from the headers instead.",
                hint=f"Pick one of: {', '.join(TYPE_NAMES)}.",
            )
        )
    detection = detect(name, table.columns)
    if detection.type == UNKNOWN:
        guesses = tuple(n for n, _ in detection.candidates[:3])
        guess = f" The closest match is {guesses[0]} ({detection.candidates[0][1]:.0%})." if guesses else ""
        findings.append(
            finding(
                "unknown_file",
                file=name,
                suggestions=guesses,
                message=f"This file's headers do not match any spec file type, so it is ignored.{guess}",
                hint=f"Pick its type (one of: {', '.join(TYPE_NAMES)}), or check that the header row is the first "
                "row of the sheet.",
            )
        )
    return detection


def no_spec_file(files: Sequence[SpecFile]) -> Finding:
    examples = "; ".join(
        f"{t.name.replace('_', ' ').capitalize()} ({', '.join(t.required)})" for t in FILE_TYPES
    )
    count = f"None of the {len(files)} files is" if len(files) > 1 else "The file is not"
    return finding(
        "no_spec_file",
        file=files[0].name,
        message=f"{count} a sheet of a Drupal technical specification, so there is nothing to draft. This "
        "tool reads the CSV exports of the spec's sheets, each recognised by its header row.",
        hint=f"Export each sheet of the spec as CSV and upload those. The 11 kinds and the columns each "
        f"needs: {examples}.",
    )


def _header_findings(name: str, table: Table, detection: Detection) -> list[Finding]:
    file_type = get(detection.type)
    if file_type is None:
        return []
    findings = []
    needed = {norm(c) for c in file_type.required}
    present = {norm(c) for c in table.columns}
    for column in table.duplicate_columns:
        error = norm(column) in needed
        findings.append(
            finding(
                "duplicate_header",
                file=name,
                column=column,
                value=column,
                severity="error" if error else "warning",
                message=f"Two columns are both headed '{column}'; the second is read as '{column} (2)'"
                + (", and the tool cannot tell which one to use." if error else "."),
                hint="Rename or delete one of the two columns.",
            )
        )
    for column in (*file_type.required, *file_type.expected):
        if norm(column) in present:
            continue
        error = norm(column) in needed
        findings.append(
            finding(
                "missing_column",
                file=name,
                column=column,
                severity="error" if error else "warning",
                message=f"The {file_type.name} file has no '{column}' column"
                + (", which is needed to read its rows." if error else "; tickets will not show it."),
                hint=f"Add a column headed '{column}' (the header must be in row 1), or pick another type for the "
                f"file if it is not a {file_type.name} file.",
            )
        )
    return findings
