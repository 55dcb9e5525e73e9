"""A draft's work category: which discipline of the team builds it (Site Building, Front End, Back End).

The rule, as a Drupal lead assigns work: a ticket goes to whoever does most of its minutes (see `effort`).
Its kind gives the home discipline of its configuration: view displays and responsive image styles are Front
End (a display ticket that is only a form display is Site Building, and its form display part always is);
every other kind (bundles, fields, image styles, view modes, views, roles, workflows) is Site Building.

Notes move minutes to the other two (see `asks`). Front End is Twig, CSS and markup, and the theme's
preprocess that picks the output by a field's value. Back End is anything that needs a custom module: a
module, hook or plugin, custom form code or a form alter, access narrower than core permissions (a type
hidden from visitors, access by domain or section), Search API indexing, and the query behind a list
paragraph's "List type: Auto". So a
paragraph type whose note needs custom form code is Back End once the code outweighs its fields, and a
content type whose note wants a page template stays Site Building with the template named. Custom code
several tickets need is one piece of code, sized on the ticket where it weighs most
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
