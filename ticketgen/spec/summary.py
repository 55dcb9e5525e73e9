"""A check's result without the parsed rows: what the store keeps, small enough to cross a process boundary
(the web process never holds a whole batch's parse, only this)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ticketgen.codes import DEFAULT_CODES, StatusCodes
from ticketgen.spec.model import Finding, Spec


@dataclass(frozen=True, slots=True)
class FileSummary:
    name: str
    type: str
    confidence: float
    row_count: int


@dataclass(frozen=True, slots=True)
class CheckSummary:
    files: tuple[FileSummary, ...]
    findings: tuple[Finding, ...]

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def summarise(spec: Spec) -> CheckSummary:
    return CheckSummary(
        tuple(FileSummary(f.name, f.type, f.confidence, f.row_count) for f in spec.files), spec.findings
    )


def check(
    files: Sequence[tuple[str, bytes]],
    *,
    codes: StatusCodes = DEFAULT_CODES,
    overrides: Mapping[str, str] | None = None,
) -> CheckSummary:
    from ticketgen.spec import load

    return summarise(load(files, codes=codes, overrides=overrides))
