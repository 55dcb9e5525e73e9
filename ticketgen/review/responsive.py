"""A responsive image style whose style groups outnumber the breakpoints it uses ("Use 360x360 for mobile
sizes, 426x426 at tab" with only Mobile listed): one group has no breakpoint to map to."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ticketgen.planner.index import SpecIndex
from ticketgen.planner.kinds.responsive_image_style import groups
from ticketgen.review.base import Question, question

TOPIC = "image_styles"
CODE = "breakpoints_short_of_groups"
_SPLIT = re.compile(r"\s*[,;\n]\s*(?![^()]*\))")  # "Mobile (1, 1.5x, 2x), Tablet": commas inside () stay


def check(index: SpecIndex) -> Iterable[Question]:
    found = []
    for file, row in index.spec.rows_of("responsive_image_styles"):
        points = [p for p in _SPLIT.split(row.get("Breakpoints Used").strip()) if p]
        used = groups(row.get("Image Style Group(s)"))
        if not index.ticketed(row) or not points or len(used) <= len(points):
            continue
        found.append(
            question(
                CODE,
                topic=TOPIC,
                file=file.name,
                row=row.number,
                column="Breakpoints Used",
                value=row.get("Breakpoints Used"),
                message=f"The responsive style “{row.get('Responsive style')}” maps {len(used)} style groups "
                f"({', '.join(used)}) onto {len(points)} breakpoint{'s' if len(points) != 1 else ''} "
                f"({', '.join(points)}), so at least one group has no breakpoint to use it.",
                hint="Add the missing breakpoint (e.g. Tablet) to Breakpoints Used, or drop the extra style group.",
            )
        )
    return found
