"""Upload limits (SPEC §3). Files beyond them are reported and not read at all."""

from __future__ import annotations

from collections.abc import Sequence

from ticketgen.spec.codes import finding
from ticketgen.spec.model import Finding

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 25
MAX_BATCH_BYTES = 50 * 1024 * 1024


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
