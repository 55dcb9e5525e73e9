"""Template writer: user story and success criteria built from a draft's facts, with no network.

The default writer and the Anthropic writer's fallback, so it has to stand on its own: every criterion
names something a tester can check in the Drupal UI or in exported configuration (labels, machine names,
counts, required flags, alias patterns, states and transitions), and nothing is ever a placeholder.
The copy of each ticket kind lives in `ticketgen/writers/template_copy/<kind>.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ticketgen.drafts.model import Draft
from ticketgen.writers._utils import distinct
from ticketgen.writers.template_copy import (
    bundle,
    display,
    fields,
    image_styles,
    responsive_image_style,
    user_role,
    view,
    view_modes,
    workflow,
)
from ticketgen.writers.template_copy._utils import BUILDING, MAX_LISTED, Copy, Facts, lower_first, quoted
from ticketgen.writers.template_copy.bundle import CONFIG_PREFIX, FLAG_CRITERIA, ITEM_NOUNS
from ticketgen.writers.writer import Progress, Writer, WriteResult

__all__ = [
    "BUILDING",
    "CONFIG_PREFIX",
    "FLAG_CRITERIA",
    "ITEM_NOUNS",
    "MAX_LISTED",
    "Copy",
    "Facts",
    "TemplateWriter",
]

_BY_KIND: dict[str, Callable[[Facts], Copy]] = {
    "bundle": bundle.write,
    "fields": fields.write,
    "display": display.write,
    "view": view.write,
    "image_styles": image_styles.write,
    "responsive_image_style": responsive_image_style.write,
    "view_modes": view_modes.write,
    "workflow": workflow.write,
    "user_role": user_role.write,
}


class TemplateWriter(Writer):
    """Deterministic copy from `Draft.facts`. Takes no parameters."""

    name = "template"

    async def write(
        self, drafts: Sequence[Draft], *, site: str = "", progress: Progress | None = None
    ) -> WriteResult:
        written: list[Draft] = []
        for done, draft in enumerate(drafts, start=1):
            story, criteria = self.copy_for(draft)
            written.append(replace(draft, user_story=story, criteria=criteria, writer="template"))
            if progress is not None:
                progress(done, len(drafts), draft.key)
        return WriteResult(written)

    def copy_for(self, draft: Draft) -> Copy:
        """(user story, success criteria) for one draft; falls back to the summary and tables without facts."""
        build = _BY_KIND.get(draft.kind)
        try:
            story, criteria = build(draft.facts) if build and draft.facts else _generic(draft)
        except (KeyError, TypeError, ValueError, AttributeError):
            story, criteria = _generic(draft)  # facts from an older or edited draft: still useful copy
        criteria = distinct(criteria) or _generic(draft)[1]
        if draft.questions:
            n = len(draft.questions)
            criteria.append(
                f"The open question{'s' if n != 1 else ''} at the top {'are' if n != 1 else 'is'} answered by the "
                "spec owner, and the ticket is updated to match, before the work "
                f"{'they touch' if n != 1 else 'it touches'} is built; the rest of the ticket can start now."
            )
        return " ".join(story.split()), criteria


def _generic(draft: Draft) -> Copy:
    """No facts to draw on: the summary and the tables still say what done means."""
    what = draft.summary.rstrip(". ") or draft.key
    story = f"As a site builder, I want to {lower_first(what)} so that the site matches the approved specification."
    criteria = [
        f"Every row of the {quoted(t.title)} table marked New is configured exactly as listed."
        for t in draft.tables
    ]
    criteria.append(f"The work is done as the ticket summary says: {what}.")
    return story, criteria
