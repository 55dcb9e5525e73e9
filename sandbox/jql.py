"""The JQL the export uses: `project`, `key`, `labels`, `issue.property[key].path` (indexed only),
`=`, `!=`, `IN`, `NOT IN`, `AND`, `OR`, parentheses and `ORDER BY`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox._utils import JiraProblem
from sandbox.store import Issue

_TOKEN = re.compile(
    r"""\s*(?:(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<op>!=|=|\(|\)|,)|"""
    r"""(?P<property>issue\.property\[[^\]]+\](?:\.[A-Za-z0-9_.]+)?)|(?P<word>[^\s=!(),"']+))""",
    re.IGNORECASE,
)
_PROPERTY = re.compile(r"issue\.property\[([^\]]+)\](?:\.([A-Za-z0-9_.]+))?", re.IGNORECASE)

Row = tuple[Issue, dict[str, Any]]
Predicate = Callable[[Row], bool]


@dataclass(frozen=True, slots=True)
class Query:
    matches: Predicate
    order_by: str
    descending: bool
    property_clauses: tuple[tuple[str, str], ...]


def _tokens(jql: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    jql = jql.strip()
    while pos < len(jql):
        m = _TOKEN.match(jql, pos)
        if m is None or m.end() == pos:
            raise JiraProblem(
                400, f"Error in the JQL Query: The character '{jql[pos]}' is a reserved JQL character."
            )
        kind = m.lastgroup or "word"
        text = m.group(kind)
        if kind == "string":
            text = re.sub(r"\\(.)", r"\1", text[1:-1])
        tokens.append((kind, text))
        pos = m.end()
    return tokens


def _dig(value: Any, path: str) -> Any:
    for part in path.split(".") if path else []:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _equal(actual: Any, literal: str) -> bool:
    if isinstance(actual, list):
        return any(_equal(item, literal) for item in actual)
    if isinstance(actual, bool) or actual is None:
        return str(actual).lower() == literal.lower()
    if isinstance(actual, int | float):
        try:
            return float(literal) == float(actual)
        except ValueError:
            return False
    return str(actual) == literal


class _Parser:
    def __init__(self, jql: str, indexed: set[tuple[str, str]], aliases: dict[str, tuple[str, str]]):
        self.tokens = _tokens(jql)
        self.pos = 0
        self.indexed = indexed
        self.aliases = aliases
        self.property_clauses: list[tuple[str, str]] = []

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise JiraProblem(400, "Error in the JQL Query: Expecting more input at the end of the query.")
        self.pos += 1
        return token

    def keyword(self, *words: str) -> bool:
        token = self.peek()
        if token and token[0] == "word" and token[1].lower() in words:
            self.pos += 1
            return True
        return False

    def parse(self) -> Query:
        matches: Predicate = lambda row: True  # noqa: E731
        if self.peek() and self.peek()[1].lower() != "order":  # type: ignore[index]
            matches = self.disjunction()
        order_by, descending = "key", False
        if self.keyword("order"):
            if not self.keyword("by"):
                raise JiraProblem(400, "Error in the JQL Query: Expecting 'by' after 'order'.")
            order_by = self.take()[1].lower()
            descending = self.keyword("desc")
            self.keyword("asc")
        if self.peek() is not None:
            raise JiraProblem(400, f"Error in the JQL Query: Expecting operator but got '{self.peek()[1]}'.")  # type: ignore[index]
        return Query(matches, order_by, descending, tuple(self.property_clauses))

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.keyword("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else (lambda row: any(p(row) for p in parts))

    def conjunction(self) -> Predicate:
        parts = [self.clause()]
        while self.keyword("and"):
            parts.append(self.clause())
        return parts[0] if len(parts) == 1 else (lambda row: all(p(row) for p in parts))

    def values(self) -> list[str]:
        if self.take() != ("op", "("):
            raise JiraProblem(400, "Error in the JQL Query: Expecting '(' after IN.")
        values = [self.take()[1]]
        while self.peek() == ("op", ","):
            self.pos += 1
            values.append(self.take()[1])
        if self.take() != ("op", ")"):
            raise JiraProblem(400, "Error in the JQL Query: Expecting ')' to close the list.")
        return values

    def clause(self) -> Predicate:
        if self.peek() == ("op", "("):
            self.pos += 1
            inner = self.disjunction()
            if self.take() != ("op", ")"):
                raise JiraProblem(400, "Error in the JQL Query: Expecting ')'.")
            return inner
        kind, field = self.take()
        negate = self.keyword("not")
        if self.keyword("in"):
            values = self.values()
        else:
            op = self.take()
            if op not in (("op", "="), ("op", "!=")):
                raise JiraProblem(
                    400, f"Error in the JQL Query: The operator '{op[1]}' is not supported here."
                )
            negate = op[1] == "!="
            values = [self.take()[1]]
        getter = self.getter(kind, field)
        if negate:
            return lambda row: not any(_equal(getter(row), v) for v in values)
        return lambda row: any(_equal(getter(row), v) for v in values)

    def getter(self, kind: str, field: str) -> Callable[[Row], Any]:
        name = field.lower()
        if kind == "property" or field in self.aliases:
            if kind == "property":
                m = _PROPERTY.fullmatch(field)
                assert m is not None
                key, path = m.group(1).strip("\"'"), m.group(2) or ""
            else:
                key, path = self.aliases[field]
            self.property_clauses.append((key, path))
            if (key, path) not in self.indexed:
                return lambda row: None  # Jira: an unindexed property matches nothing
            return lambda row: _dig(row[1].get(key), path)
        simple: dict[str, Callable[[Row], Any]] = {
            "project": lambda row: [row[0].project_key, row[0].fields["project"]["id"]],
            "key": lambda row: [row[0].key, str(row[0].id)],
            "issuekey": lambda row: [row[0].key, str(row[0].id)],
            "id": lambda row: [row[0].key, str(row[0].id)],
            "labels": lambda row: row[0].fields.get("labels") or [],
            "issuetype": lambda row: [row[0].fields["issuetype"]["name"], row[0].fields["issuetype"]["id"]],
            "summary": lambda row: row[0].fields.get("summary"),
        }
        if name not in simple:
            raise JiraProblem(
                400, f"Field '{field}' does not exist or you do not have permission to view it."
            )
        return simple[name]


def parse(jql: str, *, indexed: set[tuple[str, str]], aliases: dict[str, tuple[str, str]]) -> Query:
    if not jql.strip() or jql.strip().lower().startswith("order"):
        raise JiraProblem(
            400, "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
        )
    return _Parser(jql, indexed, aliases).parse()


def sort_key(order_by: str) -> Callable[[Issue], Any]:
    if order_by in ("key", "issuekey", "id", "created"):
        return lambda issue: (issue.project_key, issue.id)
    if order_by == "summary":
        return lambda issue: issue.fields.get("summary") or ""
    raise JiraProblem(400, f"Error in the JQL Query: Not able to sort using field '{order_by}'.")
