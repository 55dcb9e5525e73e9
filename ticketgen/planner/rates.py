"""The minutes a Drupal lead budgets per piece of build work: the rates behind every estimate.

Only build minutes count. An open question is the spec owner's time (the ticket carries `needs-decision`, and
the same batch-wide question sits on many tickets), so it adds nothing; a note that is one setting of a field
or a display row already counted adds nothing either. Two senior leads reviewed 25 UWEC tickets priced the old
way (a quarter hour per note and per question, 20 min per field, rounded up to the top of the size) and found
the hours ~46 % high; these rates are where their two sets of rules agree, or between them where they differ.
"""

from __future__ import annotations

from typing import Final

# Creating the bundle itself and checking it, by entity type: a content type has pathauto, menu, preview and
# moderation settings to go through; a vocabulary or block type without fields is a quarter hour.
SHELL_MINUTES: Final[dict[str, int]] = {
    "node": 45,
    "media": 30,  # a media type also needs its source field
    "paragraph": 20,
    "taxonomy_term": 15,
    "block_content": 15,
}
SETTING_MINUTES: Final = 10  # a bundle-level setting the spec turns on: URL alias pattern, metatag, menu …
PERMISSION_MINUTES: Final = 5  # one role's grants on one bundle or transition, ticked on the permissions page
CHILD_TYPE_MINUTES: Final = 20  # a child item type (an Accordion Item under Accordions) before its fields

# Fields. New storage means choosing type, cardinality and storage settings; a field on storage that exists
# (or another ticket creates) is picked from the list and labelled.
NEW_STORAGE_MINUTES: Final = 15
REUSED_STORAGE_MINUTES: Final = 8
FIELD_RULE_MINUTES: Final = 10  # a conditional-field dependency, an allowed-values list, a field permission

# Image styles: effects are the style's own settings (the notes list them), not extra work.
IMAGE_STYLE_MINUTES: Final = 5
MAPPING_MINUTES: Final = 3  # a responsive image style's breakpoint → image style row
VIEW_MODE_MINUTES: Final = 10  # creating a view mode and switching it on where it is used

# Displays: a formatter or view-mode choice is a dropdown and a check; a form display is arranged once per
# bundle (the widgets themselves are set with the fields), plus each field group.
DISPLAY_SETTING_MINUTES: Final = 5
FORM_DISPLAY_MINUTES: Final = 20
FIELD_GROUP_MINUTES: Final = 10
FORM_WIDGET_MINUTES: Final = 2  # putting a widget in its place (its settings were made with the field)

# Views: a display's fields, filters, sort and pager; what makes one harder is wiring context into it.
VIEW_DISPLAY_MINUTES: Final = 90
VIEW_WIRING_MINUTES: Final = 30  # a contextual filter, relationship or exposed filter
EXISTING_DISPLAY_MINUTES: Final = 30  # a display the site has that the spec changes (one it leaves is free)

# Every ticket, whatever it builds: the config exported and committed, a pull request reviewed, the result
# checked by QA (both leads' reviews added it).
REVIEW_MINUTES: Final = 30

STATE_MINUTES: Final = 5  # a workflow state or transition
TEXT_FORMAT_MINUTES: Final = 10  # a text format a role may use

# Front end: a Twig template with its markup and the check on a page; a CSS rule at three widths.
TEMPLATE_MINUTES: Final = 120
STYLING_MINUTES: Final = 60
FIELD_TEMPLATE_MINUTES: Final = 45  # a field template wrapping one value (an <h2>), checked on a page
# Output chosen by a field's value (a view mode or image style per value): a theme preprocess of a few lines
# and each case checked on a page; output that depends on today's date also needs its render cache to expire.
VALUE_RENDER_MINUTES: Final = 120
DATE_WINDOW_MINUTES: Final = 180
HIDING_TEMPLATE_MINUTES: Final = (
    30  # a page template hiding a type from visitors, copied from one the site has
)

# Back end: custom PHP in the site's module (a module, hook, plugin, form alter),
# written with a test. Code several tickets need is written once (see `effort.code_written_once`): the
# ticket where it weighs most carries it, the others only wire it in.
CODE_MINUTES: Final = 360  # the code, its automated test and a review: most of a day
FORM_ALTER_MINUTES: Final = 120  # a few lines in the site's custom module (relabel, limit items) and a check
SEARCH_API_MINUTES: Final = 60  # an index field, boost or processor set in Search API
SEARCH_INDEX_MINUTES: Final = 360  # a Search API server and index the spec implies: fields, processors, tests
ACCESS_RULE_MINUTES: Final = 120  # hiding a type from visitors (Rabbit Hole or an access hook), once
SCOPED_ACCESS_MINUTES: Final = 480  # access by domain or section, which core permissions cannot express
AUTO_LIST_MINUTES: Final = 720  # the query behind "List type: Auto" (filters, limit, cache tags), once
AUTO_LIST_EACH_MINUTES: Final = 60  # each further list paragraph: its arguments to that query, checked
SHARED_CODE_MINUTES: Final = 30  # wiring in custom code another ticket writes

# Story points on the Fibonacci scale and the hours each stands for (a working day is 8 hours). A sum of
# minutes takes the nearest size: its bound is halfway to the next one (3h, 6h, 12h, 24h), so 40 minutes is
# 1 point, not 2 hours booked, and 8h20 is 3 points, not 16 hours.
SCALE: Final[tuple[tuple[int, int], ...]] = ((1, 2), (2, 4), (3, 8), (5, 16), (8, 32))

# Creating and checking the thing itself, by ticket kind, before its items (bundles are priced by entity type
# above, displays by their rows).
BASE_MINUTES: Final[dict[str, int]] = {
    "user_role": 30,
    "fields": 15,  # open Manage fields, check the form after
    "image_styles": 5,
    "responsive_image_style": 15,
    "view_modes": 10,
    "display": 15,
    "view": 60,
    "workflow": 30,
}
# Minutes per item, and what an item is, by kind (an image style's notes are its effects: the style itself).
PER_ITEM: Final[dict[str, tuple[int, str, str]]] = {
    "user_role": (TEXT_FORMAT_MINUTES, "text format", "text formats"),
    "image_styles": (IMAGE_STYLE_MINUTES, "image style", "image styles"),
    "responsive_image_style": (MAPPING_MINUTES, "breakpoint mapping", "breakpoint mappings"),
    "view_modes": (VIEW_MODE_MINUTES, "view mode", "view modes"),
    "view": (VIEW_DISPLAY_MINUTES, "view display", "view displays"),
    "workflow": (STATE_MINUTES, "state or transition", "states and transitions"),
}
