"""Work a spec note asks for beyond configuration: theme work (Front End) or PHP (Back End), with its minutes.

A note is read together with the criterion the planner wrote for it, because the criterion often says what
the note only implies: "If icons is yes, … shown on step item sub-paragraphs" becomes "this needs custom form
code: Conditional Fields cannot reach into the items of another paragraph". Back End is anything that needs
a custom module: a module, hook, plugin or form alter, access narrower than core permissions (hiding a type
from visitors), Search API indexing. Front End is Twig, CSS and markup, and the theme's preprocess that picks
what to render by a field's value or shows it by today's date. A note asking for both (Twig to place a
module's block) is the module: the Twig is part of writing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ticketgen.drafts.model import BACK_END, FRONT_END
from ticketgen.planner import rates

CODE_ASK = re.compile(
    r"\bcustom (?:module|code|plugin|service|controller|route|formatter|widget|field (?:type|formatter|widget))s?\b"
    r"|\bhook_\w+|\bhooks?\b|\bprogrammatic(?:ally)?\b|\bevent subscriber\b|\bcron\b|\bphp\b",
    re.IGNORECASE,
)
# What the planner's own criterion adds when the note only implies code (Conditional Fields cannot reach it).
FORM_CODE = re.compile(r"\bcustom form code\b", re.IGNORECASE)
THEME_ASK = re.compile(
    r"\btwig\b|\btemplates?\b|\bpreprocess\w*|\btheme\b|\btheming\b|\bcss\b|\bs[ac]ss\b|\bjavascript\b|\bjs\b"
    r"|\bmarkup\b|\bhard[- ]?coded\b|\bfront[- ]end\b|\b(?:as an?|pattern|theming) class(?:es)?\b"
    r"|\bclass(?:es)? (?:on|to) the\b|(?<!pre-)\bstyl(?:ing|ed as|e (?:it|them|\w+ text) as)\b",
    re.IGNORECASE,
)
# Hidden from visitors: core's "View published content" is all or nothing per site, so this is Rabbit Hole
# or an access hook, whatever the note proposes (a page template would still render the node's teasers).
ACCESS_ASK = re.compile(
    r"\bnot shown to anonymous\b|\bhidden from anonymous\b|\brestrict access to logged[- ]in\b"
    r"|\banonymous users? (?:cannot|can't|may not) (?:see|view)\b",
    re.IGNORECASE,
)
# Access by domain or section: core grants a permission on every item of a type or none.
SCOPED_ACCESS = re.compile(r"\bwithin (?:their|its) (?:own )?(?:domain|section)s?\b", re.IGNORECASE)
# Output chosen by a field's value ("Render according to size selected", "If CTA trio, render as 393x221, if
# single render as 1920x1445"): one formatter cannot do it, a preprocess function picks the view mode.
VALUE_RENDER = re.compile(
    r"\brender\w*\b[^.]{0,40}\b(?:according to|based on|depending on)\b"
    r"|\brender\w*\s+\S+\s+if\b|\bif\b[^.]{0,30},\s*render\b|\bchanges based on\b",
    re.IGNORECASE,
)
# What the planner writes for a help text that promises display by date ("Showing by today's date is theme
# work …"): the help text is text to enter, but the promise behind it is work.
DATE_WINDOW = re.compile(r"\bby today's date\b|\bwhen (?:the )?current date is\b", re.IGNORECASE)
# A form alter the planner names where a setting cannot do it ("this is a form alter in the site's custom
# module"); not the admin-CSS alternative it offers for styling a widget.
FORM_ALTER = re.compile(r"(?<!CSS or )\ba form alter\b|\bform_alter\b", re.IGNORECASE)
# (a view "built with Search API" is the view's own configuration; the index behind it is `pricing`'s)
SEARCH_API = re.compile(r"\bsearch index\b|\bto index \w+ field\b", re.IGNORECASE)
# Criteria the planner writes for CSS rather than a template ("Front-end styling (theme CSS): …").
STYLING = re.compile(r"^(?:Front-end styling|Admin theme work)\b")
THEME_CRITERION = re.compile(r"^Theme work\b|\.html\.twig\b")
FIELD_TEMPLATE = re.compile(r"\bfield--[\w-]+\.html\.twig\b")  # one field's wrapper ("<h2>"), not a page
ELSEWHERE = re.compile(r"^Not in this ticket\b")

ACCESS_CODE = "an access rule hiding library types from visitors"
SCOPED_CODE = "access by domain and section"


@dataclass(frozen=True, slots=True)
class Ask:
    category: str
    minutes: int
    why: str
    code: str = ""  # the piece of code several tickets may share; written once (effort.code_written_once)
    reuse: int = rates.SHARED_CODE_MINUTES  # its minutes on a ticket that only wires it in
    once: str = ""  # asks of one ticket that are one piece of work (two notes, one preprocess function)


def ask(text: str, criterion: str = "") -> Ask | None:
    """The theme or code work a note asks for, or None when it is configuration (or built elsewhere)."""
    if ELSEWHERE.match(criterion):
        return None
    quoted = f"“{text}”"
    if ACCESS_ASK.search(text) and THEME_ASK.search(
        text
    ):  # the spec chose a template: it hides the page only
        return Ask(FRONT_END, rates.HIDING_TEMPLATE_MINUTES, f"a page template hiding it: {quoted}")
    if ACCESS_ASK.search(text):
        return Ask(
            BACK_END,
            rates.ACCESS_RULE_MINUTES,
            f"access narrower than core permissions: {quoted}",
            ACCESS_CODE,
        )
    if CODE_ASK.search(text) or FORM_CODE.search(criterion):
        return Ask(BACK_END, rates.CODE_MINUTES, f"custom code asked for: {quoted}", text)
    if FORM_ALTER.search(criterion):
        return Ask(BACK_END, rates.FORM_ALTER_MINUTES, f"form alter asked for: {quoted}", once="form alter")
    if DATE_WINDOW.search(criterion):
        return Ask(
            FRONT_END,
            rates.DATE_WINDOW_MINUTES,
            f"output that depends on today's date (template or preprocess, and its render cache): {quoted}",
            once="date window",
        )
    if VALUE_RENDER.search(text):
        return Ask(
            FRONT_END,
            rates.VALUE_RENDER_MINUTES,
            f"output chosen by a field's value (preprocess): {quoted}",
            once="preprocess",
        )
    if SEARCH_API.search(text):
        return Ask(BACK_END, rates.SEARCH_API_MINUTES, f"Search API indexing: {quoted}")
    if STYLING.match(criterion):
        return Ask(FRONT_END, rates.STYLING_MINUTES, f"styling asked for: {quoted}")
    if FIELD_TEMPLATE.search(criterion):
        return Ask(FRONT_END, rates.FIELD_TEMPLATE_MINUTES, f"a field template asked for: {quoted}")
    if THEME_ASK.search(text) or THEME_CRITERION.search(criterion):
        return Ask(FRONT_END, rates.TEMPLATE_MINUTES, f"theme work asked for: {quoted}")
    return None


def scoped_access(text: str) -> Ask | None:
    """A role whose note limits it to a domain or section: one access module for the whole site."""
    if not SCOPED_ACCESS.search(text):
        return None
    return Ask(
        BACK_END,
        rates.SCOPED_ACCESS_MINUTES,
        f"access narrower than core permissions: “{text}”",
        SCOPED_CODE,
        rates.SHARED_CODE_MINUTES * 2,
    )


def clauses(value: Any) -> Iterator[dict[str, Any]]:
    """Every spec note of the ticket (help texts left out: they are text to enter, not work, unless they
    promise display by date)."""
    if isinstance(value, dict):
        if (
            "criterion" in value
            and isinstance(value.get("text") or value.get("clause"), str)
            and (not value.get("help") or DATE_WINDOW.search(str(value.get("criterion") or "")))
        ):
            yield value
        for inner in value.values():
            if isinstance(inner, dict | list):
                yield from clauses(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from clauses(inner)


def note_text(clause: dict[str, Any]) -> str:
    return str(clause.get("text") or clause.get("clause") or "").strip()
