"""Search indexing the spec asks for (bundles with Srch. = y, views on a Search API index) while no sheet
defines the Search API server or index. Someone has to own that work, or every "included in the search
index" criterion waits on a ticket that does not exist."""

from __future__ import annotations

from collections.abc import Iterable

from ticketgen.planner.index import SpecIndex
from ticketgen.review.base import Question, question
from ticketgen.spec._utils import norm

TOPIC = "links"
CODE = "search_index_undefined"


def check(index: SpecIndex) -> Iterable[Question]:
    bundles = [
        (file, row)
        for file, row in index.spec.rows_of("bundles")
        if index.ticketed(row) and norm(row.get("Srch.")) in {"y", "yes"}
    ]
    views = [
        (file, row)
        for file, row in index.spec.rows_of("views")
        if index.ticketed(row) and "index" in norm(row.get("Base table"))
    ]
    wanted = [*bundles, *views]
    if not wanted:
        return []
    file, row = wanted[0]
    names = [r.get("Name") or r.get("View name") for _, r in wanted]
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    return [
        question(
            CODE,
            topic=TOPIC,
            file=file.name,
            row=row.number,
            column="Srch." if (file, row) in bundles else "Base table",
            value=row.get("Srch.") or row.get("Base table"),
            message=f"Search indexing is asked for ({shown}), but no sheet defines the Search API server and "
            "index (its machine name, backend and fields), and no ticket creates them.",
            hint="Add the search index to the spec (name, server, indexed fields), or say it already exists.",
            also=[(f.name, r.number) for f, r in wanted[1:]],
        )
    ]
