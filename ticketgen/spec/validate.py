"""Validation of typed files (SPEC §3). Rule families run links first, then keys, then cells, so that a
cell already reported (a blank `View ID` is an empty link, not also an empty key) is reported once."""

from __future__ import annotations

from ticketgen.codes import DEFAULT_CODES, StatusCodes
from ticketgen.spec.cells import check_cells
from ticketgen.spec.keys import check_keys
from ticketgen.spec.links import check_links
from ticketgen.spec.model import Finding, SpecFile
from ticketgen.spec.report import Reporter


def validate(files: list[SpecFile], *, codes: StatusCodes = DEFAULT_CODES) -> list[Finding]:
    report = Reporter(codes=codes)
    check_links(files, report)
    check_keys(files, report)
    check_cells(files, report)
    return report.findings
