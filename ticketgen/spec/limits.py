"""Upload limits (SPEC §3) and the bounds on what one upload may cost: files beyond the byte limits are not read
at all; rows and columns beyond theirs are not read; findings beyond a number per code and file are counted,
not kept; a plan beyond a number of drafts is refused. UWEC's largest sheet (546 rows, 18 columns, 39 findings
of one code, 176 drafts) stays well under each, so real specs never meet them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ticketgen.spec.codes import finding
from ticketgen.spec.model import Finding

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 25
MAX_BATCH_BYTES = 50 * 1024 * 1024
MAX_ROWS_PER_FILE = 5_000
MAX_ROWS_PER_BATCH = (
    10_000  # the engine's review costs about a millisecond a row: this keeps a check in seconds
)
MAX_COLUMNS = 200
MAX_FINDINGS_PER_CODE = 100  # per file; then one "and N more like this"
MAX_DRAFTS = 2_000


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_limits(files: Sequence[tuple[str, bytes]]) -> tuple[set[int], list[Finding]]:
    """Indexes of the files that may be read, and a finding for each one that may not. The batch size counts
    every uploaded byte, so the file that takes the upload past the limit, and any after it, are refused."""
    allowed: set[int] = set()
    findings: list[Finding] = []
    total = 0
    for index, (name, data) in enumerate(files):
        total += len(data)
        if index >= MAX_FILES:
            findings.append(
                finding(
                    "too_many_files",
                    file=name,
                    value=str(len(files)),
                    message=f"The batch has {len(files)} files; at most {MAX_FILES} are read, so this one "
                    f"(file {index + 1}) was not.",
                    hint="Upload the spec in batches of 25 files or fewer, or merge sheets of the same kind.",
                )
            )
        elif len(data) > MAX_FILE_BYTES:
            findings.append(
                finding(
                    "file_too_large",
                    file=name,
                    value=_mb(len(data)),
                    message=f"The file is {_mb(len(data))}; the limit is {_mb(MAX_FILE_BYTES)} a file, so it was "
                    "not read.",
                    hint="Split the sheet into several CSV files of the same kind, or remove unused columns.",
                )
            )
        elif total > MAX_BATCH_BYTES:
            findings.append(
                finding(
                    "batch_too_large",
                    file=name,
                    value=_mb(total),
                    message=f"With this file the batch reaches {_mb(total)}; the limit is {_mb(MAX_BATCH_BYTES)}, so "
                    "it was not read.",
                    hint="Upload the remaining files as a separate batch.",
                )
            )
        else:
            allowed.add(index)
    return allowed, findings


def too_many_rows(name: str, rows: int, read: int) -> Finding:
    limit = (
        "the limit for one file"
        if read == MAX_ROWS_PER_FILE
        else f"the batch's earlier files hold the rest of its {MAX_ROWS_PER_BATCH:,}-row limit"
    )
    return finding(
        "too_many_rows",
        file=name,
        value=f"{rows:,} rows",
        message=f"The file has {rows:,} rows; only the first {read:,} were read ({limit}), so the rest, from "
        f"spreadsheet row {read + 2:,} on, is missing from the check and from the drafts.",
        hint=f"Split the sheet into files of at most {MAX_ROWS_PER_FILE:,} rows of the same kind, and upload "
        f"specs of more than {MAX_ROWS_PER_BATCH:,} rows as several batches.",
    )


def batch_rows_full(name: str) -> Finding:
    return finding(
        "too_many_rows",
        file=name,
        message=f"The batch's earlier files already hold {MAX_ROWS_PER_BATCH:,} rows, the limit for a batch, so "
        "this file was not read.",
        hint="Upload this file and the ones after it as a separate batch.",
    )


def too_many_columns(name: str, columns: int) -> Finding:
    return finding(
        "too_many_columns",
        file=name,
        value=f"{columns:,} columns",
        message=f"The header has {columns:,} columns; only the first {MAX_COLUMNS} were read (the limit for one "
        "file).",
        hint="Delete the unused columns, or check that the sheet was exported with the right delimiter.",
    )


def cap_findings(findings: Iterable[Finding], *, per_code: int = MAX_FINDINGS_PER_CODE) -> list[Finding]:
    """The first `per_code` findings of each code in each file (in the given order, files contiguous), then
    one finding of that code saying how many more there are, after the file's last kept finding."""
    kept: list[Finding] = []
    seen: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    file: str | None = None
    for found in findings:
        if found.file != file:
            kept.extend(_more_like_this(first, seen, per_code))
            seen.clear()
            first.clear()
            file = found.file
        seen[found.code] += 1
        first.setdefault(found.code, found)
        if seen[found.code] <= per_code:
            kept.append(found)
    kept.extend(_more_like_this(first, seen, per_code))
    return kept


def _more_like_this(first: dict[str, Finding], seen: Counter[str], per_code: int) -> list[Finding]:
    return [
        replace(
            first[code],
            row=None,
            column=None,
            value=f"{count - per_code:,} more",
            message=f"And {count - per_code:,} more like this in this file; only the first {per_code} findings "
            "of a kind are listed.",
            suggestions=(),
        )
        for code, count in seen.items()
        if count > per_code
    ]


def drafts_over_limit(count: int, limit: int = MAX_DRAFTS) -> str | None:
    if count <= limit:
        return None
    return (
        f"The spec gives {count:,} drafts; a batch takes at most {limit:,}. Split the spec into several "
        "batches (for example one per group of content types)."
    )
