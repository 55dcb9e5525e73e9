"""Collects findings during validation, decides severity by impact, and reports each cell at most once."""

from __future__ import annotations

from ticketgen.codes import StatusCodes
from ticketgen.spec.codes import finding
from ticketgen.spec.model import Finding, Row, Severity


class Reporter:
    """Parameters:
    codes: how the `X` column is read (which rows create tickets).
    """

    def __init__(self, *, codes: StatusCodes) -> None:
        self.codes = codes
        self.findings: list[Finding] = []
        self._claimed: set[tuple[str, int, str]] = set()

    def creates_ticket(self, row: Row) -> bool:
        return self.codes.creates_ticket(row.status)

    def why_no_ticket(self, row: Row) -> str:
        status = row.status
        if not status:
            reason = "its X column is blank"
        elif status in self.codes.existing:
            reason = f"its X code '{status}' says the component already exists"
        else:
            reason = f"its X code '{status}' is not a known status code"
        return f" It is only a warning because this row creates no ticket: {reason}."

    def claimed(self, file: str, row: Row, column: str) -> bool:
        return (file, row.number, column) in self._claimed

    def add(
        self,
        code: str,
        *,
        file: str,
        row: Row | None,
        column: str | None,
        value: str | None,
        message: str,
        hint: str,
        suggestions: tuple[str, ...] = (),
        severity: Severity | None = None,
        impact: bool = False,
        ticketed: bool | None = None,
    ) -> None:
        """`impact=True`: an error if the row creates a ticket (or `ticketed` says so), else a warning
        whose message says why."""
        if impact and row is not None:
            ticketed = self.creates_ticket(row) if ticketed is None else ticketed
            severity = "error" if ticketed else "warning"
            if not ticketed:
                message += self.why_no_ticket(row)
        if row is not None and column is not None:
            self._claimed.add((file, row.number, column))
        self.findings.append(
            finding(
                code,
                file=file,
                row=row.number if row else None,
                column=column,
                value=value,
                message=message,
                hint=hint,
                suggestions=suggestions,
                severity=severity,
            )
        )
