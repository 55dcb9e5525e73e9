"""A draft's work category: which discipline of the team builds it (Site Building, Front End, Back End).

The rule, as a Drupal lead assigns work: a ticket goes to whoever does most of its minutes (see `effort`).
Its kind gives the home discipline of its configuration: displays and responsive image styles are Front End,
every other kind (bundles, fields, image styles, view modes, views, roles, workflows) is Site Building. A spec
note asking for a Twig template, theming class or styling adds front-end minutes; one asking for a custom
module, hook or plugin adds back-end minutes. So a content type whose note wants a page template stays Site
Building (the template is an hour beside its settings, fields and permissions), while a paragraph type of
one field that exists to place a custom module's block is Back End: the module is the work.

Where the line between the two code disciplines falls: Twig templates, theming classes, CSS/JS and preprocess
functions (they live in the theme's `.theme` file) are Front End; custom modules, hooks, plugins, services
and cron are Back End. A note asking for both (Twig to place a module's block) counts once, as the module.
Custom code several tickets ask for is one piece of code, sized on the ticket where it weighs most
(`effort.code_written_once`).
"""

from __future__ import annotations

from ticketgen.drafts.model import CATEGORIES, Draft
from ticketgen.planner.effort import Effort, effort


def category(draft: Draft) -> str:
    return category_of(effort(draft))


def category_of(work: Effort) -> str:
    """Most minutes wins; a tie stays home, and between two asks the later discipline (code over theme)."""
    return max(CATEGORIES, key=lambda c: (work.minutes_of(c), c == work.home, CATEGORIES.index(c)))


def also_asked(work: Effort) -> list[str]:
    """The other disciplines the notes ask for, for the plan to name (a lead splits out a sub-task)."""
    owner = category_of(work)
    return [c for c in CATEGORIES if c != owner and work.minutes_of(c)]
