"""The spec engine's output: typed files, rows and findings. Shared by the planner, store and panel."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ticketgen.spec._utils import norm

Severity = Literal["error", "warning"]
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    code: str
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    hint: str
    suggestions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["suggestions"] = list(self.suggestions)
        return d


@dataclass(frozen=True, slots=True)
class Row:
    """One data row. `number` is the spreadsheet row a person sees (header = row 1)."""

    number: int
    cells: Mapping[str, str]  # header text as in the file -> cell text, verbatim
    _seen: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def get(self, column: str, default: str = "") -> str:
        """Cell by column name, matched case- and whitespace-insensitively; stripped."""
        seen = self._seen  # the planner and the review ask each row for the same columns many times
        if column in seen:
            return seen[column] or default
        if column in self.cells:
            value = self.cells[column].strip()
        else:
            wanted = norm(column)
            value = next((v.strip() for name, v in self.cells.items() if norm(name) == wanted), "")
        seen[column] = value
        return value or default

    def raw(self, column: str) -> str:
        """The cell exactly as exported (tables copy cells verbatim), matched as `get` matches."""
        if column in self.cells:
            return self.cells[column]
        key = "\1" + column  # no header starts with this byte: the raw cell sits beside the stripped one
        if (value := self._seen.get(key)) is None:
            wanted = norm(column)
            value = self._seen[key] = next((v for name, v in self.cells.items() if norm(name) == wanted), "")
        return value

    @property
    def status(self) -> str:
        seen = self._seen  # asked for every row by every rule family: keep the lowered code too
        if (code := seen.get("\0status")) is None:
            code = seen["\0status"] = self.get("X").lower()
        return code


@dataclass(frozen=True, slots=True)
class SpecFile:
    name: str
    type: str  # a FileType name (see ticketgen.spec.types) or "unknown"
    confidence: float
    columns: tuple[str, ...]
    rows: tuple[Row, ...]  # data rows, separator rows already skipped
    size: int = 0

    @property
    def row_count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True, slots=True)
class Spec:
    files: tuple[SpecFile, ...]
    findings: tuple[Finding, ...] = field(default=())
    # The Drupal-aware review's questions (`ticketgen.review.Question`), kept so planning does not review
    # the same spec twice; None when the spec was built without `load()`.
    questions: tuple[Any, ...] | None = field(default=None, compare=False)
    reviewed_with: Any = field(default=None, compare=False)  # the StatusCodes the review read X with
    reviewed_index: Any = field(default=None, compare=False, repr=False)  # its SpecIndex, reused by planning

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def files_of(self, type_name: str) -> tuple[SpecFile, ...]:
        return tuple(f for f in self.files if f.type == type_name)

    def rows_of(self, type_name: str) -> Iterator[tuple[SpecFile, Row]]:
        """All rows of one type across files, in spec order (file order, then row order)."""
        for f in self.files_of(type_name):
            for row in f.rows:
                yield f, row
