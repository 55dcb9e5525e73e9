"""Ticket drafts: what the planner produces, writers complete, the ADF renderer and the export consume."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

WriterName = Literal["template", "llm", "fallback"]

# Export tie-break order (SPEC §4). Every dependency the planner draws points from an earlier kind to a
# later one, which is what keeps the graph acyclic by construction: roles come first because permission
# notes on bundles and fields name them; displays come after the styles and view modes they render with.
KIND_ORDER: tuple[str, ...] = (
    "user_role",
    "bundle",
    "fields",
    "image_styles",
    "responsive_image_style",
    "view_modes",
    "display",
    "view",
    "workflow",
)


# Work categories (issue 16): who on the team builds a ticket; the planner's `category` module decides.
SITE_BUILDING = "Site Building"
FRONT_END = "Front End"
BACK_END = "Back End"
CATEGORIES: tuple[str, ...] = (SITE_BUILDING, FRONT_END, BACK_END)


@dataclass(slots=True)
class Estimate:
    """A ticket's size: story points on the 1/2/3/5/8 scale, the same size as a Jira original estimate, and
    the lines it was added up from, so a lead can see why and change it."""

    points: int
    original_estimate: str  # Jira duration ("4h"), the budget of those points
    seconds: int  # the same, as Jira's timeoriginalestimate
    basis: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(slots=True)
class Source:
    file: str
    rows: list[int]  # spreadsheet row numbers


@dataclass(slots=True)
class Draft:
    key: str  # "<kind>:<id>", stable for the same spec
    kind: str  # one of KIND_ORDER
    summary: str
    tables: list[Table]
    sources: list[Source]
    user_story: str = ""
    criteria: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)  # keys of blockers
    writer: WriterName = "template"
    facts: dict[str, Any] = field(default_factory=dict)  # structured config the writers draw on
    # Open questions from the spec review: {code, message, rows: [{file, row}]}. A draft with any is
    # labelled `needs-decision`; writers may not drop them.
    questions: list[dict[str, Any]] = field(default_factory=list)
    # Build and verify: what a developer enables, where they click, what config must come out, and how
    # QA confirms it ({check, command, expect}).
    modules: list[str] = field(default_factory=list)
    admin_path: str = ""
    config: list[str] = field(default_factory=list)
    verify: list[dict[str, str]] = field(default_factory=list)
    category: str = ""  # one of CATEGORIES once planned
    estimate: Estimate | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Draft:
        d = dict(d)
        d["tables"] = [Table(**t) for t in d.get("tables", [])]
        d["sources"] = [Source(**s) for s in d.get("sources", [])]
        if isinstance(d.get("estimate"), dict):
            d["estimate"] = Estimate(**d["estimate"])
        known = set(cls.__slots__)  # type: ignore[attr-defined]
        return cls(**{k: v for k, v in d.items() if k in known})


@dataclass(slots=True)
class Usage:
    """LLM usage totals for one writing run."""

    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost_usd: float = 0.0

    def add(self, other: Usage) -> None:
        for name in self.__slots__:  # type: ignore[attr-defined]
            setattr(self, name, getattr(self, name) + getattr(other, name))
