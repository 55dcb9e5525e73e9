"""The base class of spec file types: what a CSV of one kind looks like and how its rows are read."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ticketgen.spec._utils import norm
from ticketgen.spec.model import Row
from ticketgen.spec.types.link import Link

STATUS_COLUMN = "X"
DRUPAL_MACHINE_NAME = "lower-case letters, digits and underscores"


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A type-specific problem in one cell; the validator turns it into a finding."""

    code: str
    column: str
    value: str
    message: str
    hint: str
    suggestions: tuple[str, ...] = ()


class FileType:
    """One kind of spec CSV.

    Parameters:
        name: stable type name (`bundles`, `fields`…), stored with every file.
        headers: identifying headers; detection scores a file by them.
        required: columns without which rows cannot be read (missing → error); the other `headers` are
            expected (missing → warning). The status column `X` is always required.
        key: columns whose values together identify the component a row describes.
        links: references to rows of other types, hard and soft.
        ticket_kind: the kind of draft (see `ticketgen.drafts.model.KIND_ORDER`) the rows feed.
        filename_hints: fragments of file names (lower-case, letters and digits only) suggesting the type.
        label_column: the column holding a row's human name.
        machine_name_column: the column holding a Drupal machine name, checked for validity.
        machine_name_chars: regex character class of valid machine-name characters, and its wording.
        machine_name_max: longest machine name Drupal accepts for this kind of config.
    """

    def __init__(
        self,
        *,
        name: str,
        headers: tuple[str, ...],
        required: tuple[str, ...],
        key: tuple[str, ...],
        ticket_kind: str,
        filename_hints: tuple[str, ...],
        label_column: str,
        links: tuple[Link, ...] = (),
        machine_name_column: str | None = "Machine name",
        machine_name_chars: tuple[str, str] = ("a-z0-9_", DRUPAL_MACHINE_NAME),
        machine_name_max: int = 64,
    ) -> None:
        self.name = name
        self.headers = headers
        self.required = (*required, STATUS_COLUMN)
        self.expected = tuple(h for h in headers if h not in required)
        self.key_columns = key
        self.links = links
        self.ticket_kind = ticket_kind
        self.filename_hints = filename_hints
        self.label_column = label_column
        self.machine_name_column = machine_name_column
        self.machine_name_chars = machine_name_chars
        self.machine_name_max = machine_name_max
        self._machine_name = re.compile(f"[{machine_name_chars[0]}]+")
        self._invalid_chars = re.compile(f"[^{machine_name_chars[0]}]+")

    def __repr__(self) -> str:
        return f"<FileType {self.name}>"

    @property
    def hard_links(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.hard)

    @property
    def soft_links(self) -> tuple[Link, ...]:
        return tuple(link for link in self.links if not link.hard)

    def key(self, row: Row) -> tuple[str, ...]:
        """The row's identity, normalised; two rows with equal keys describe the same component."""
        return tuple(norm(value) for _, value in self.key_cells(row))

    def key_cells(self, row: Row) -> tuple[tuple[str, str], ...]:
        """(column, cell) pairs the key is made of; a blank cell means the row has no usable key."""
        return tuple((column, row.get(column)) for column in self.key_columns)

    def label(self, row: Row) -> str:
        return row.get(self.label_column)

    def machine_name(self, row: Row) -> str:
        return row.get(self.machine_name_column) if self.machine_name_column else ""

    def machine_name_problem(self, value: str) -> str | None:
        """Why Drupal would reject this machine name, or None."""
        if self._machine_name.fullmatch(value) is None:
            bad = set("".join(self._invalid_chars.findall(value)))
            reasons = []
            if any(c.isupper() for c in bad):
                reasons.append("upper-case letters")
            if any(c.isspace() for c in bad):
                reasons.append("spaces")
            others = "".join(sorted(c for c in bad if not c.isupper() and not c.isspace()))
            if others:
                reasons.append(f"the characters {others!r}")
            return f"it contains {' and '.join(reasons)}; Drupal machine names use only {self.machine_name_chars[1]}"
        return None  # lengths are the review's `name_too_long`, which knows each kind of name's limit

    def suggest_machine_name(self, value: str) -> str:
        return self._invalid_chars.sub("_", value.strip().lower()).strip("_")[: self.machine_name_max]

    def check_row(self, row: Row) -> Iterable[RowIssue]:
        """Type-specific checks of one row (field types…); none by default."""
        return ()
