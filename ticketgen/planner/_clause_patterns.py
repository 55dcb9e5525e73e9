"""The rules that turn one spec clause into a checkable criterion, in Drupal's own words.

Each rule reads the clause as plain text (tags stripped, whitespace collapsed) and either returns a `Hit`
or None. Wording follows the admin UI labels a tester sees, so a criterion can be ticked off there or with
drush; where the spec is vague the criterion says so instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as member
from difflib import SequenceMatcher
from functools import lru_cache

IGNORE = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    criterion: str
    roles: tuple[str, ...] = ()
    persona: str = ""
    module: str = ""
    guide: bool = False  # editor-facing text: neighbouring sentences read as one quote
    generic: bool = False  # no rule understood it: the criterion only quotes it
    grants: tuple[tuple[str, tuple[str, ...]], ...] = ()  # role → the permission titles it is to hold


@dataclass(frozen=True, slots=True)
class Context:
    subject: str  # as a sentence names it: "the Job content type"
    label: str  # the bundle, role, workflow … label: "Job"
    etype: (
        str  # node | media | paragraph | block_content | taxonomy_term | field | workflow | role | view | …
    )
    field: str  # "Apply By (field_apply_by)" or "Apply By"
    field_name: str
    roles: Mapping[str, str]
    help: bool
    field_type: str = ""  # the Drupal plugin id ("smartdate"), when the clause is a field's note
    bundle: str = ""  # the bundle's machine name, when the note is on a bundle or one of its fields
    # role machine name → its Notes cell: what each role may do
    role_notes: Mapping[str, str] = member(default_factory=dict)

    @property
    def who(self) -> str:
        return self.field or self.subject

    @property
    def item(self) -> str:
        """What a new entity is called ("a new Job"); a bare field subject does not say."""
        return self.label if self.etype not in {"", "field"} else "item"

    @property
    def page(self) -> str:
        if self.etype in {"", "field"}:
            return "the entity’s page"
        return f"a published {self.label}’{'' if self.label.endswith('s') else 's'} page"

    @property
    def form(self) -> str:
        return f"the {self.label} add/edit form" if self.etype not in {"", "field"} else "the add/edit form"


_SUBJECT_TYPES = (
    ("responsive image style", "responsive"),
    ("image style", "image_style"),
    ("view mode", "view_mode"),
    ("content type", "node"),
    ("media type", "media"),
    ("paragraph type", "paragraph"),
    ("custom block type", "block_content"),
    ("block type", "block_content"),
    ("vocabulary", "taxonomy_term"),
    ("user role", "role"),
    ("role", "role"),
    ("workflow", "workflow"),
    ("view", "view"),
    ("display", "view"),
    ("field", "field"),
)


_THE = re.compile(r"^the\s+", IGNORE)
_PARENTHESISED = re.compile(r"(.+?)\s*\(([^()]+)\)")
_FIELD_NAME = re.compile(r"(.+?)\s*\(([a-z0-9_]+)\)")


def context(
    subject: str,
    roles: Mapping[str, str],
    field: str,
    help: bool,
    field_type: str = "",
    role_notes: Mapping[str, str] | None = None,
    bundle: str = "",
) -> Context:
    """Reads "the Job content type", "Job (Content type)", "the Site Admin role", "the “Apply By” field"."""
    name, label, etype, field, field_name = _subject(subject, field)
    return Context(name, label, etype, field, field_name, roles, help, field_type, bundle, role_notes or {})


@lru_cache(maxsize=1024)
def _subject(subject: str, field: str) -> tuple[str, str, str, str, str]:
    subject, field = " ".join(subject.split()), " ".join(field.split())
    bare = _THE.sub("", subject)
    label, etype = bare, ""
    if m := _PARENTHESISED.fullmatch(bare):
        etype = next((t for s, t in _SUBJECT_TYPES if m.group(2).casefold() == s), "")
        label = m.group(1) if etype else bare
    if not etype:
        for suffix, t in _SUBJECT_TYPES:
            if bare.casefold().endswith(" " + suffix):
                label, etype = bare[: -len(suffix) - 1].strip(), t
                break
    label = label.strip("“”\"' ")
    if etype == "field" and not field:
        field = label
    fm = _FIELD_NAME.fullmatch(field)
    return (f"the {bare}" if bare else "", label, etype, field, fm.group(2) if fm else "")


def q(text: str) -> str:
    return f"“{text}”"


def listing(items: list[str], conj: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conj} {items[-1]}" if items else ""


def said(text: str) -> str:
    return q(text.rstrip(" .;,"))


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# Markers of a clause the spec itself is unsure about: the criterion asks the spec owner to confirm.
TENTATIVE = re.compile(
    r"\b(?:if possible|ideally|potentially|likely|maybe|possibly|perhaps|see if|not sure|tbd|may not|might|"
    r"need (?:more )?(?:info|information|confirmation|actual text)|hold until|figure out)\b|\?\?",
    IGNORE,
)
_RATIONALE = re.compile(
    r"^(?:need this because|meant to)\b|^this is (?:so|because)\b|\bas an example\b|\bfor an example\b"
    r"|^(?:see|like) .+ for reference$|^\W*\w+\W* (?:denotes|stands for)\b"
    r"|^(?:as )?(?:shown|seen) (?:on|in) (?:the )?[\w ]*mock-?ups?$",
    IGNORE,
)
# "The image size also changes based on whether it's box or single": rendering that follows a value
_VARIES = re.compile(
    r"\b(?:size|layout|image|style|look|width|height)s? (?:also )?(?:changes|differs|varies)\b", IGNORE
)
_QUESTION = re.compile(
    r"^(?:need (?:more )?info\w*|may not do|not sure|tbd|likely|potentially|see if)\b|need confirmation|\?\?$"
    r"|\bhold until\b|\bneed (?:more )?information\b|\bneed actual text\b|\bwe'?ll need\b"
    r"|\bneed to (?:define|decide|confirm|figure out)\b|\bto be (?:defined|decided|confirmed)\b"
    r"|(?-i:\bX\b) (?:old|days?|weeks?|months?|years?)\b",
    IGNORE,
)
_FRONT = re.compile(
    r"\bfront[- ]?(?:end|side)\b|\btwig\b|\btheme\b|\btheming\b|\btemplate\b|\bclass\b|\bmobile\b|\bmockups?\b"
    r"|\brender\w*\b|\bappears?\b|\blink(?:ed)? (?:directly )?to\b|\bwill (?:not )?be (?:displayed|shown)\b"
    r"|\bin place of\b|\bdisplay(?:ed)? (?:only|below|under)\b|\bsized\b|\bfit (?:to|on) one\b|\bon the node\b"
    r"|\b(?:video|audio|img) tag\b|\b\w+ attributes?\b",
    IGNORE,
)
_FORM = re.compile(
    r"\b(?:node|edit|paragraph|admin|entity) form\b|\bform display\b|\bon the widget\b|\badmin side\b|\bcan be added\b"
    r"|\bability to add\b|\blist type\b",
    IGNORE,
)
_GUIDE = re.compile(r"\b(?:you|your)\b|^(?:please|example)\b|optimal image size", IGNORE)
# Written to editors: only read so in help text, where "Do not …" is advice, not a build instruction.
_HELP_GUIDE = re.compile(
    r"^(?:paste|enter|select|choose|leave blank|make sure|optionally|override|to select|always|do not|guidance"
    r"|format should|this is the|this could be)\b",
    IGNORE,
)
_BEHAVES = re.compile(
    r"\bwill\b|\bwon't\b|\bautomatically\b|\bonly appear|\bdoes not affect\b|\bnot be displayed\b", IGNORE
)


def help_text(p: str, ctx: Context) -> Hit:
    where = f"under {ctx.field} on {ctx.form}" if ctx.field else f"on {ctx.form}"
    return Hit("other", f"The help text {where} tells editors: {said(p)}.", guide=True)


@lru_cache(maxsize=4096)
def _guide_flags(p: str) -> tuple[bool, bool, bool]:
    return bool(_GUIDE.search(p)), bool(_HELP_GUIDE.search(p)), bool(_BEHAVES.search(p))


def guidance(p: str, ctx: Context) -> Hit | None:
    """Text for editors (help text, or notes written to them) is checked on the form, not built."""
    if ctx.etype in {"view", "role", "workflow", "image_style", "responsive", "view_mode"}:
        return None
    guide, help_guide, behaves = _guide_flags(p)
    if _flags(p)[3]:
        return None  # an open question ("need actual text from UWEC"), not text to copy
    if (ctx.help and (help_guide or not behaves)) or guide:
        return help_text(p, ctx)
    return None


def fallback(p: str, ctx: Context) -> Hit:
    hit = _fallback(p, ctx)
    return Hit(hit.kind, hit.criterion, hit.roles, hit.persona, hit.module, hit.guide, generic=True)


@lru_cache(maxsize=4096)
def _unsure(p: str) -> re.Match[str] | None:
    return TENTATIVE.search(p)


@lru_cache(maxsize=4096)
def _flags(p: str) -> tuple[bool, bool, bool, bool, bool]:
    return (
        bool(_FRONT.search(p)),
        bool(_FORM.search(p)),
        bool(_RATIONALE.search(p)),
        bool(_QUESTION.search(p)),
        bool(TENTATIVE.search(p)),
    )


def _fallback(p: str, ctx: Context) -> Hit:
    front, form, rationale, question, unsure = _flags(p)
    if rationale:
        return Hit("other", f"Context for {ctx.who}, nothing separate to build or check: {said(p)}.")
    if question or (unsure and not ctx.help):  # a hedge ("maybe", "figure out") is a decision nobody made
        return Hit(
            "other", f"Open question for the spec owner, to settle before building {ctx.who}: {said(p)}."
        )
    if ctx.etype == "view":
        return _view_note(p, ctx) or Hit(
            "other",
            f"Check in the Views UI and on the rendered page that {ctx.subject} does this: {said(p)}.",
        )
    if ctx.etype in {"image_style", "responsive"}:
        return Hit("other", f"Check on {ctx.subject} (/admin/config/media): {said(p)}.")
    if ctx.etype == "workflow":
        return Hit("other", f"Check in {ctx.subject} (/admin/config/workflow/workflows): {said(p)}.")
    if ctx.help:
        return Hit(
            "other", f"Check on a sample {ctx.item}: {said(p)} (what the help text of {ctx.who} promises)."
        )
    if ctx.field and _VARIES.search(p):
        return display(p, ctx)
    if front and (theme := _theme_work(p, ctx)):
        return theme
    if built := _front_end(p, ctx) or _on_a_view(p, ctx) or _relabel(p, ctx):
        return built
    if front and ctx.field and ctx.field_type == "boolean":  # an on/off field's note says what "on" does
        return Hit("other", f"With {ctx.who} ticked, {_sample(ctx)} does what the note asks ({said(p)}); unticked, "
                            "it does not. Check both.")  # fmt: skip
    if ctx.field and front:
        where = f"on {ctx.field}’s front-end display"
    elif front:
        where = f"on the front end of a published {ctx.item}"
    elif form:
        where = f"on {ctx.form}" + (f" ({ctx.field})" if ctx.field else "")
    else:
        where = f"for {ctx.field} on {ctx.subject}" if ctx.field else f"for {ctx.subject}"
    verb = "Confirm with the spec owner and check" if unsure else "Check"
    return Hit("other", f"{verb}: {said(p)} is in place {where}.")


_THEMING = re.compile(
    r"\btwig\b|\btheme\b|\btheming\b|\btemplate\b|\bclass(?:es)?\b|\bhard[- ]?coded\b|\bcss\b"
    r"|\b(?:video|audio|img) tag\b|\b\w+ attributes?\b",
    IGNORE,
)
_FIELD_TEMPLATE = re.compile(r"\bfield template\b", IGNORE)
_VIA_TWIG = re.compile(r"\b(?:via|in|with) twig\b", IGNORE)  # the bundle's own template embeds a view
_ELSEWHERE = re.compile(r"\bviews?\b|\bsidebar\b|\bbreadcrumbs?\b|\bregion\b|\bpage template\b", IGNORE)
_TEMPLATE_OF = {"paragraph": "paragraph--{b}", "node": "node--{b}", "taxonomy_term": "taxonomy-term--{b}",
                "media": "media--{b}"}  # fmt: skip


def _template(ctx: Context) -> str:
    """The bundle's own Twig template, as core suggests it ("node--department.html.twig")."""
    pattern = _TEMPLATE_OF.get(ctx.etype)
    return pattern.format(b=ctx.bundle.replace("_", "-")) + ".html.twig" if pattern and ctx.bundle else ""


def _field_template(ctx: Context) -> str:
    """The field's own template on this bundle, as core suggests it ("field--node--field-x--page.html.twig")."""
    parts = (ctx.etype, ctx.field_name, ctx.bundle)
    return "field--" + "--".join(x.replace("_", "-") for x in parts) + ".html.twig"


def _theme_work(p: str, ctx: Context) -> Hit | None:
    """Markup the note asks of the bundle's own template: named as core suggests it, and checked in the
    page's markup, so the front-end developer knows the file and QA knows what to look at. Work that lands
    in a view, a region or the page template stays a plain check."""
    elsewhere = {w.casefold().rstrip("s") for w in _ELSEWHERE.findall(p)}
    if elsewhere == {"view"} and _VIA_TWIG.search(p):
        elsewhere = set()  # the bundle's own template embeds the view
    if not _THEMING.search(p) or elsewhere or not ctx.bundle:
        return None
    if ctx.field_name and _FIELD_TEMPLATE.search(p):
        template = _field_template(ctx)
    elif not (template := _template(ctx)):
        return None
    return Hit("other", f"Theme work, in the {template} template: {said(p)}. Check the markup of {_sample(ctx)}"
                        f"{' with ' + ctx.field + ' set' if ctx.field else ''}.")  # fmt: skip


_VIEW_FILTERS = re.compile(r"^add (?:the )?filters? for:? (?P<items>.+)$", IGNORE)
_KEYWORDS = re.compile(r"^keywords? search (?:should )?includes?:? (?P<items>.+)$", IGNORE)
_SEARCH_API = re.compile(r"^(?:build|built) (?:with|on|using) (?:the )?search ?api$", IGNORE)
_COUNTER = re.compile(
    r"^add (?:a |the )?(?:search )?results? counter(?: header)?\b(?:.*\b(?:see|like) (?:the )?(?P<like>[\w ]+?)\)?)?$",
    IGNORE,
)
_PLACED_ON = re.compile(
    r"^(?:goes|added|placed|shown|appears) (?:on|to) (?P<where>[\w ]+?) (?:nodes|pages)"
    r"(?: (?P<pos>under|below|above|after) (?:the )?(?P<field>[\w ]+?)(?: field)?)?$",
    IGNORE,
)
_ADMIN_REPORT = re.compile(
    r"^admin(?:istrative)? report(?:ing)? page (?:used )?(?:to|for) (?:review|reviewing|list|listing) (?P<what>.+)$",
    IGNORE,
)
# "Uses paragraph fields to define the filters, pager and sort": also read by planner.paragraph_args
PARAGRAPH_SETS = (
    r"\buses? (?:the )?paragraph fields to (?:define|set) (?:the )?(?P<what>[^.]+)"
    r"|\b(?P<filters>filters?) (?:are )?(?:based on|from|set by) (?:the )?paragraph\b"
)
_FROM_PARAGRAPH = re.compile(rf"^(?:{PARAGRAPH_SETS})$", IGNORE)
_CUSTOM_BLOCK = re.compile(
    r"^need (?:an )?(?:additional )?custom (?P<what>[\w ]*?block)(?: \(like (?P<like>[^)]+)\))? for (?:the )?(?P<for>.+)$",
    IGNORE,
)
_EXPOSE_ITEMS = re.compile(r"^expose items per page to (?:the )?block settings\b", IGNORE)


def _view_note(p: str, ctx: Context) -> Hit | None:
    """Display notes said in Views' own terms: filter criteria, Search API, result summary, block placement."""
    s = ctx.subject
    if m := _VIEW_FILTERS.match(p):
        items = [x.strip() for x in re.split(r",\s*(?![^()]*\))", m.group("items")) if x.strip()]
        return Hit("limit", f"{cap(s)} has exactly these filter criteria (Views UI): {'; '.join(items)}.")
    if m := _KEYWORDS.match(p):
        return Hit("limit", f"{cap(s)}'s exposed keyword filter (Search API fulltext search) searches these fields of "
                            f"the index: {m.group('items').strip()}; a keyword found only in one of them still finds "
                            "the item.")  # fmt: skip
    if _SEARCH_API.match(p):
        return Hit(
            "limit", f"{cap(s)} is a Search API view: its base table is the search index, not Content."
        )
    if m := _COUNTER.match(p):
        like = f", worded like the {m.group('like').strip()}" if m.group("like") else ""
        return Hit("limit", f"{cap(s)} has a “Global: Result summary” header that shows the number of results"
                            f"{like}; check it after a search.")  # fmt: skip
    if m := _PLACED_ON.match(p):
        where = f" {m.group('pos')} the {m.group('field')} field" if m.group("field") else ""
        return Hit("limit", f"{cap(s)} shows on every published {m.group('where')} page{where} (a block placed for "
                            f"that content type, or embedded in its template); check on one.")  # fmt: skip
    if m := _ADMIN_REPORT.match(p):
        return Hit("limit", f"{cap(s)} is an admin report page listing {m.group('what')}; an item that matches is "
                            "listed there and one that does not is not.")  # fmt: skip
    if m := _FROM_PARAGRAPH.match(p.strip(" .")):
        return Hit("limit", f"{cap(s)} takes its {m.group('what') or 'filters'} from the fields of the paragraph that places it "
                            "(passed in as arguments); two paragraphs set differently list different items.")  # fmt: skip
    if m := _CUSTOM_BLOCK.match(p):
        like = f", built like the {m.group('like').strip()}" if m.group("like") else ""
        return Hit("other", f"A custom {m.group('what')}{like} (custom module) shows {ctx.subject}'s search form "
                            f"for the {m.group('for')}: it is listed in the block library, and placed, submitting it "
                            "lands on the results.")  # fmt: skip
    if _EXPOSE_ITEMS.match(p):
        return Hit("limit", f"{cap(s)} lets each placed block set its own number of items (Pager: “Allow settings: "
                            "Items per page” in the block settings).")  # fmt: skip
    return _front_end(p, ctx)


_EXPOSED_ON_VIEW = re.compile(
    r"^add (?:an )?exposed filter to (?:the )?(?P<view>[\w ]+?) view for (?P<what>.+)$", IGNORE
)
_ROW_CLASS = re.compile(
    r"\b(?:used|use) (?:as )?a (?:row )?class on (?:the )?(?P<view>[\w ]+?) view(?: blocks?| rows?| displays?)?\b",
    IGNORE,
)


def _on_a_view(p: str, ctx: Context) -> Hit | None:
    """A field's note that is work on a view: said as the Views setting it takes."""
    if (m := _EXPOSED_ON_VIEW.match(p.strip(" ."))) and " ".join(
        m.group("view").casefold().split()
    ) == "media library":
        return Hit("other", f"The Media Library view (views.view.media_library) has an exposed filter on "
                            f"{ctx.who if ctx.field else m.group('what')} on its widget and widget_table displays, the "
                            "ones the media library dialog shows (Views UI: Filter criteria, “Expose this filter”), so "
                            f"editors can narrow the dialog's list by {m.group('what').strip()}; check it in the media "
                            "library dialog of a form with a media field.", module="views_ui")  # fmt: skip
    if m := _EXPOSED_ON_VIEW.match(p.strip(" .")):
        return Hit("other", f"The {m.group('view').strip()} view has an exposed filter on {ctx.who if ctx.field else m.group('what')} "
                            f"(Views UI: Filter criteria, “Expose this filter”), so editors can narrow its list by "
                            f"{m.group('what').strip()}; check it on the view's page.")  # fmt: skip
    if ctx.field and (m := _ROW_CLASS.search(p)):
        return Hit("other", f"The {m.group('view').strip()} view's displays set “Row class” (Format → Settings) to "
                            f"the replacement token of {ctx.who} (listed under “Replacement patterns”), so each row's "
                            "markup carries its value as a class; check the markup of a page showing the view.")  # fmt: skip
    return None


_RELABEL = re.compile(
    r"^relabel (?:the )?(?P<part>[\w ]+?) (?:field |sub-?field )?(?:to|as) (?P<label>[\w ]+)$", IGNORE
)


def _relabel(p: str, ctx: Context) -> Hit | None:
    """ "Relabel organization to location" on an address: the module has no label setting for its parts."""
    if not (ctx.field and (m := _RELABEL.match(p.strip(" .")))):
        return None
    part, label = m.group("part").strip(), m.group("label").strip().title()
    if ctx.field_type == "address":
        return Hit("other", f"On {ctx.form}, the {part.title()} part of {ctx.who} is labelled “{label}”. The Address "
                            "module has no setting for a part's label, so this is a form alter in the site's custom "
                            "module; check the label on the form.")  # fmt: skip
    return Hit(
        "other", f"On {ctx.form}, {ctx.who}'s {part} is labelled “{label}”; check the label on the form."
    )


def _sample(ctx: Context) -> str:
    if ctx.etype == "view":
        return f"a page showing {ctx.subject}"
    if ctx.etype == "node":  # a content item is a page of its own
        label = ctx.label.casefold()
        if label.endswith("pages"):
            return f"a published page of the {ctx.label} content type"
        return f"a published {ctx.label}{'' if label.endswith('page') else ' page'}"
    return f"a published page holding {'an' if ctx.label[:1].lower() in 'aeiou' else 'a'} {ctx.label}"


_MODE_SHOWS = re.compile(r"^shows? (?:the )?(?P<what>.+)$", IGNORE)
_MODE_FOR = re.compile(r"^set (?:up )?to (?:allow|be) use[d]? (?:on|for|with) (?P<what>.+)$", IGNORE)
_OVERRIDE = re.compile(
    r"^when (?:used|set|filled(?: in)?),? (?:it'?s|it is|this is|its) shown in place of (?:the )?(?P<x>.+)$",
    IGNORE,
)
_IF_TICKED = re.compile(
    r"^if (?:true|yes|checked|ticked|selected|enabled)\s*,?\s*(?:and (?P<also>[^,]+),\s*)?(?P<y>.+)$", IGNORE
)
_AND_THEN = re.compile(r"^and (?P<cond>.+?),? (?P<then>(?:they|it|then) .+)$", IGNORE)
_INSTEAD = re.compile(r"^(?P<a>.+?) instead of (?P<being>being )?(?P<b>.+)$", IGNORE)
_ONLY_WHEN = re.compile(
    r"^(?:display(?:ed)?|shown?|renders?|rendered) only (?:if|when) (?P<cond>.+)$|^only (?:display(?:ed|s)?|shown?|renders?|rendered) (?:if|when) (?P<cond2>.+)$",
    IGNORE,
)
_FRONT_ADD = re.compile(
    r"^need (?P<what>.+?) added (?:on|to) (?:the )?front[- ]?(?:end|side)\b:?\s*(?P<src>https?://\S+)?$",
    IGNORE,
)
_CASE_PART = re.compile(r"^(?P<how>.+?) (?:in|for|on) (?:the )?(?P<case>[\w-]+)$", IGNORE)


def cases_named(p: str) -> list[tuple[str, str]]:
    """ "Displayed below slides in slideshow, under lightbox images in lightbox, not at all for masonry": each
    part names what happens for one value of the bundle's display choice."""
    parts = [x.strip() for x in p.strip(" .").split(",") if x.strip()]
    found = [m for x in parts if (m := _CASE_PART.match(x))]
    if len(parts) < 2 or len(found) != len(parts):
        return []
    first = found[0].group("how")
    verb = first.split()[0] if first.split()[0].casefold().endswith("ed") else ""
    cases = []
    for m in found:
        how = m.group("how")
        if verb and not how.casefold().startswith((verb.casefold(), "not")):
            how = f"{verb.lower()} {how}"  # "under lightbox images" reads "displayed under lightbox images"
        cases.append((m.group("case").title(), how[0].lower() + how[1:]))
    return cases


_MOCKUP_BUT = re.compile(r"^not (?:shown?|in|on)(?: on| in)? (?:the )?mockups?,? but (?P<rest>.+)$", IGNORE)
_APPENDED = re.compile(r"^(?:gets )?appended to (?:the )?(?P<x>.+?)(?: block)? if (?P<cond>.+)$", IGNORE)
_IF_THEN = re.compile(r"^if (?P<cond>.+?),? then (?P<then>.+)$", IGNORE)
_STATES = re.compile(r"^(?:the |a |an |it |they )", IGNORE)
_ADMIN_THEME = re.compile(r"\badmin (?:theming|theme|css|styling)\b", IGNORE)
_STYLING = re.compile(
    r"\bsized (?:based on|by)\b|\bfit (?:to|on|in)(?:to)? one (?:line|row)\b|\bon mobile\b|\bopen by default\b",
    IGNORE,
)


def _front_end(p: str, ctx: Context) -> Hit | None:
    """Front-end notes a tester can still check case by case: an override field, an on/off field that
    switches behaviour, admin-form styling, and layout rules for the theme's CSS."""
    if ctx.etype == "view_mode" and (m := _MODE_SHOWS.match(p)):
        return Hit("display", f"{cap(ctx.subject)} shows {m.group('what')} and nothing else: every other field sits "
                              "under Disabled in its Manage display; check an item rendered in it.")  # fmt: skip
    if ctx.etype == "view_mode" and (m := _MODE_FOR.match(p)):
        return Hit("other", f"{cap(ctx.subject)} is switched on for {m.group('what')} only (Manage display → "
                            "Custom display settings of each).")  # fmt: skip
    if ctx.field and (m := _OVERRIDE.match(p)):
        x = m.group("x")
        return Hit("other", f"With {ctx.who} filled in, {_sample(ctx)} shows its value in place of the {x}; "
                            f"left empty, the {x} shows.")  # fmt: skip
    if ctx.field and (m := _IF_TICKED.match(p)):
        also = f" and {m.group('also').strip()}" if m.group("also") else ""
        y = m.group("y").strip()
        if n := _INSTEAD.match(y):
            otherwise = ("it is " if n.group("being") else "") + n.group("b")
            return Hit("other", f"With {ctx.who} ticked{also}, {n.group('a')}; unticked, {otherwise}. Check both on "
                                f"{_sample(ctx)}.")  # fmt: skip
        if c := _AND_THEN.match(y):
            return Hit("other", f"With {ctx.who} ticked{also} and {c.group('cond')}, {c.group('then')}; unticked, "
                                f"they are not. Check both on {_sample(ctx)}.")  # fmt: skip
        return Hit("other", f"With {ctx.who} ticked{also}, {_sample(ctx)} does what the note asks ({said(y)}); "
                            "unticked, it does not. Check both.")  # fmt: skip
    template = _template(ctx) if ctx.field else ""
    if template and (cases := cases_named(p)):
        shown = "; ".join(f"with “{case}”, {how}" for case, how in cases)
        return Hit("other", f"Theme work, in the {template} template: {ctx.who} varies by case ({shown}). Check "
                            f"each case on {_sample(ctx)} with {ctx.who} set.")  # fmt: skip
    if template and (m := _FRONT_ADD.match(p.strip(" ."))):
        source = f" (text from {m.group('src')})" if m.group("src") else ""
        return Hit("other", f"Theme work, in the {template} template: {m.group('what')} shows on the front end "
                            f"with {ctx.who}{source}. Check the markup of {_sample(ctx)} with {ctx.who} set.")  # fmt: skip
    if template and (m := _MOCKUP_BUT.match(p.strip(" ."))):
        return Hit("other", f"Theme work, in the {template} template (the mockups do not show it): {ctx.who} is "
                            f"{m.group('rest')}. Check the markup of {_sample(ctx)} with {ctx.who} set.")  # fmt: skip
    if template and (m := _APPENDED.match(p.strip(" ."))):
        x, cond = m.group("x"), re.sub(r"^it appears on (?=the \w+ has\b)", "", m.group("cond"))
        slip = next((w for w in cond.split() if w != x and SequenceMatcher(None, w, x).ratio() >= 0.8), "")
        if slip:  # "Appended to contact/hours if the department has content/hours": the block it just named
            cond = f"{cond.replace(slip, x)} (the note writes “{slip}”, read as the {x} block it names)"
        return Hit("other", f"Theme work, in the {template} template: when {cond}, {ctx.who} renders appended to "
                            f"the {x} block; check it on {_sample(ctx)} that has one. Where it renders without that "
                            "block the note does not say: ask the spec owner before building that case.")  # fmt: skip
    if ctx.field and (m := _ONLY_WHEN.match(p)):
        return Hit("other", f"{ctx.who} shows only when {m.group('cond') or m.group('cond2')}; otherwise it is not shown. Check both "
                            f"cases on {_sample(ctx)}.")  # fmt: skip
    if m := _IF_THEN.match(p):
        then = m.group("then")
        does = then if _STATES.match(then) else f"the page does what the note asks ({said(then)})"
        return Hit(
            "other", f"When {m.group('cond')}, {does}; otherwise not. Check both cases on {_sample(ctx)}."
        )
    if _ADMIN_THEME.search(p):
        return Hit("other", f"Admin theme work on {ctx.who} (the admin theme's CSS or a form alter): {said(p)}. "
                            f"Check on {ctx.form}.")  # fmt: skip
    if _STYLING.search(p):
        return Hit("other", f"Front-end styling (theme CSS): {said(p)}. Check on {_sample(ctx)} at mobile, tablet "
                            "and desktop widths.")  # fmt: skip
    return None


TENTATIVE_MARK = "The spec words this as a wish"


def tentative(p: str, hit: Hit) -> Hit:
    if hit.kind == "other" or not (m := _unsure(p)):
        return hit
    note = f" {TENTATIVE_MARK} ({q(m.group(0))}): see the open question at the top."
    return replace(hit, criterion=hit.criterion + note)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, IGNORE)


# Regexes the builders use, compiled once.
_SHOWN_WHEN = re.compile(
    r"(?:displayed|shown|show|visible) (?:if|when) (?:the )?(?P<ctl>[\w ]+?) (?:is|=|equals) ['\"]?(?P<val>[\w ]+)",
    IGNORE,
)
_SHOWN_FOR = re.compile(
    r"only (?:show|shown|displayed)(?:/used)? for (?:the )?(?P<v>[\w ]+?)(?: version)?\)?$", IGNORE
)
_BREAKPOINTS = re.compile(
    r"(\d+x\d+)\s+(?:for|at)\s+(\w+)(?:\s*(?:&|and)\s*(desk\w*|tab\w*|mobile\w*))?", IGNORE
)
_TERMS = re.compile(r"(?P<t>.+?)\s+terms?", IGNORE)
_LIST = re.compile(r",\s*|\s+and\s+")
_COMMAS = re.compile(r",\s*")
_CHOICES = re.compile(r",\s*|\s+and\s+|\s+or\s+")
_DESCRIBED = re.compile(r"\b(?:will|each|etc)\b", IGNORE)
_FORM_MODE = re.compile(r"(\w+) form display")
_DEFAULT_PARAGRAPH = re.compile(r"(.+?) default paragraph", IGNORE)
_COLLAPSE_ONLY = re.compile(r"only collapse ?/ ?edit all enabled")
_CONTROLS = re.compile(r",\s*(?:and\s+)?")
_EXTENSIONS = re.compile(r"[\s,.]+")
_TITLE_SOURCE = re.compile(r"(?P<src>[\w ]+?) field becomes the (?:node )?title", IGNORE)
_TITLE_FIELD = re.compile(r"\btitle field\b", IGNORE)
_BRACKETED = re.compile(r"\(([^()]+)\)")
_ONLY_SHOWN = re.compile(r"^\(?only (?:show|shown|displayed)\b", IGNORE)
_SUB_PARAGRAPH = re.compile(r"sub[- ]?paragraph", IGNORE)
_CUSTOM_FORM = re.compile(r"sub[- ]?paragraph|ability to add|can be added|up to \w+ \w+ can", IGNORE)
_ALL_TEXT = re.compile(r".*", re.DOTALL)
_RENDER_SIZE = re.compile(r"render(?:ed)? (?:as|at) (?P<dim>\d+\s*[x×]\s*\d+)\s*(?P<rest>.*)", IGNORE)
_STYLE_SUFFIX = re.compile(r"\(?(?:non[- ]?crop|crop|square|portrait|landscape)\)?", IGNORE)
_RENDER_HEADING = re.compile(r"render(?:ed)? as (?:an? )?(?P<h>h[1-6])", IGNORE)
_ONLY_MULTIPLIER = re.compile(r"\(only (\w+) for (\w+)\)", IGNORE)
_RENDER_MODE = re.compile(
    r"render(?:ed)? as (?:the )?(?P<vm>[\w ]+?) view mode|render(?:ed)? as (?P<vm2>teaser|thumbnail|widget|default|card)",
    IGNORE,
)


# ------------------------------------------------------------------------------------ field settings

_CORE_FORMATS = {"basic html": "basic_html", "full html": "full_html", "restricted html": "restricted_html",
                 "plain text": "plain_text"}  # fmt: skip
_FORMAT = _rx(
    r"^(?:only )?(?P<fmt>limited html|basic html|full html|restricted html|plain text"
    r"|short(?: text)? formatted(?: html)?)(?: is)?(?: allowed| only)?$"
)


def _text_format(m: re.Match[str], ctx: Context) -> Hit:
    name = m.group("fmt")
    core = _CORE_FORMATS.get(name.casefold())
    named = f"{q(name)} ({core})" if core else q(name)
    extra = "" if core else f" {q(name)} is not a standard-profile text format, so it must exist on the site."
    return Hit(
        "limit",
        f"{ctx.who} accepts only the {named} text format: it is the one format ticked under Allowed formats in "
        f"the field settings, and the editor offers no other.{extra}",
    )


_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "ten": "10"}
_NUM = r"(?P<n>\d+|one|two|three|four|five|six|ten)"
_OFFSET = re.compile(r"\boffset (?:by |of )?(?P<n>\d+|one|two|three|four|five|six|ten)\b", IGNORE)
_LINK_TYPES = {"both": "“Both internal and external links”", "external": "“External links only”",
               "internal": "“Internal links only”"}  # fmt: skip
_LINK_TEXT = {"disabled": "“Disabled”", "required": "“Required”", "optional": "“Optional”"}


def _n(value: str) -> str:
    return _WORDS.get(value.casefold(), value)


def _field_setting(
    template: str, kind: str = "limit", module: str = ""
) -> Callable[[re.Match[str], Context], Hit]:
    return lambda m, ctx: Hit(
        kind,
        cap(template.format(who=ctx.who, item=ctx.item, form=ctx.form, subject=ctx.subject, **m.groupdict())),
        module=module,
    )


_DATE_TYPE = {
    "date": ("a date without a time", "Date only"),
    "datetime": ("a date with a time", "Date and time"),
}
_TIMESTAMPS = frozenset({"smartdate", "timestamp"})  # no Date type setting: they always store a time


def _date_type(which: str) -> Callable[[re.Match[str], Context], Hit]:
    stores, label = _DATE_TYPE[which]

    def build(m: re.Match[str], ctx: Context) -> Hit:
        if ctx.field_type not in _TIMESTAMPS:
            return Hit("limit", cap(f"{ctx.who} stores {stores}: Date type “{label}” in the field storage "
                                    f"settings (datetime_type: {which})."))  # fmt: skip
        if which == "datetime":
            return Hit("limit", cap(f"{ctx.who} asks for a date and a time on {ctx.form}; the field type stores "
                                    "both, so there is no Date type setting to change."))  # fmt: skip
        return Hit("limit", cap(f"{ctx.who} is entered as whole days on {ctx.form}: the field type always stores "
                                "a time, so confirm with the spec owner that “All day” entries are what is meant."))  # fmt: skip

    return build


def _all_day(m: re.Match[str], ctx: Context) -> Hit:
    if ctx.field_type == "smartdate":
        return Hit("limit", cap(f"{ctx.who} shows the “All day” checkbox on {ctx.form}: the Smart Date widget "
                                "settings (Manage form display) leave “All day” available, and an entry saved "
                                "as all day shows no times."))  # fmt: skip
    return Hit("limit", cap(f"{ctx.who} offers an “All day” option on {ctx.form}."))


def _sidebar_item(said: str) -> str:
    said = said.strip()
    return "Meta tags" if said.casefold().replace(" ", "") in {"metatags", "metatag"} else said.capitalize()


def _link_type(which: str) -> Callable[[re.Match[str], Context], Hit]:
    return _field_setting(f"{{who}} has Allowed link type {_LINK_TYPES[which]} in the field settings.")


def _link_text(which: str, kind: str = "limit") -> Callable[[re.Match[str], Context], Hit]:
    return _field_setting(
        f"{{who}} has Allow link text set to {_LINK_TEXT[which]} in the field settings.", kind
    )


def _default(m: re.Match[str], ctx: Context) -> Hit:
    value = _THE.sub("", m.group("v").strip(" .'\""))
    if tm := _TERMS.fullmatch(value):
        items = [x for x in _LIST.split(tm.group("t")) if x]
        shown = f"the {listing([q(x) for x in items])} term{'s' if len(items) > 1 else ''}"
    elif value.isdigit():
        shown = value
    else:
        items = [x for x in _COMMAS.split(value) if x]
        shown = listing([q(x) for x in items]) if len(items) > 1 else q(value)
    return Hit(
        "default",
        f"{ctx.who} defaults to {shown}: it is the Default value in the field settings, so a new {ctx.item} "
        "starts with it.",
    )


def _options(m: re.Match[str], ctx: Context) -> Hit:
    raw = m.group("items").strip(" .")
    items = [x.strip(" '\"") for x in _CHOICES.split(raw) if x.strip(" '\"")]
    if any(len(x.replace(" - ", " ").split()) > 4 or _DESCRIBED.search(x) for x in items):
        return Hit("limit", f"{ctx.who} offers the options the note describes ({q(raw)}): confirm the exact list "
                            "with the spec owner, then check the form offers exactly those.")  # fmt: skip
    if (
        ctx.field_type == "entity_reference"
    ):  # the choices are terms or items: content, not the field's config
        return Hit("limit", f"{ctx.who} offers exactly these choices: {', '.join(q(x) for x in items)}. They are "
                            "items of the referenced bundle, content rather than config, so no config export "
                            "carries them: they are created on each environment (by hand, default content or a "
                            "migration) before the field is checked.")  # fmt: skip
    return Hit(
        "limit", f"{ctx.who} offers exactly these choices, in this order: {', '.join(q(x) for x in items)}."
    )


def _paragraph_widget(m: re.Match[str], ctx: Context) -> Hit:
    settings: list[str] = []
    rest: list[str] = []
    for raw in _COMMAS.split(m.group(0).strip(" .")):
        token = raw.strip().casefold()
        if token in {"open", "closed"}:
            settings.append(f"Edit mode {q(token.title())}")
        elif token in {"preview", "summary"}:
            settings.append(f"Closed mode {q(token.title())}")
        elif token == "no autocollapse":
            settings.append("Autocollapse “None”")
        elif token in {"autocollapse", "autocollapse all"}:
            settings.append("Autocollapse “All”")
        elif token in {"buttons", "select list", "dropdown button", "modal form"}:
            settings.append(f"Add mode {q(raw.strip().capitalize())}")
        elif dm := _FORM_MODE.fullmatch(token):
            settings.append(f"Form display mode {q(dm.group(1).title())}")
        elif token == "no default paragraph":
            settings.append("Default paragraph type “- None -”")
        elif dm := _DEFAULT_PARAGRAPH.fullmatch(raw.strip()):
            settings.append(f"Default paragraph type {q(dm.group(1))}")
        elif _COLLAPSE_ONLY.fullmatch(token):
            settings.append("Features: only “Collapse / Edit all” ticked")
        else:
            rest.append(raw.strip())
    extra = f"; also as the note says: {listing([q(r) for r in rest])}" if rest else ""
    return Hit(
        "limit", f"{ctx.who}’s form widget settings (Manage form display) are: {', '.join(settings)}{extra}."
    )


def _allowed_except(m: re.Match[str], ctx: Context) -> Hit:
    which = (m.group("which") or "").strip()
    kind = f"{which} paragraph type" if which else "paragraph type"
    if not m.group("ex"):
        return Hit("limit", f"{ctx.who} allows every {kind}: no type is ticked under Reference type in the "
                            "field settings (Paragraphs then allows all).")  # fmt: skip
    excluded = [x.strip() for x in _LIST.split(m.group("ex").strip(" .")) if x.strip()]
    return Hit(
        "limit",
        f"{ctx.who}: Reference type in the field settings is set to “Exclude the selected below” with exactly "
        f"these paragraph types ticked: {', '.join(q(x) for x in excluded)}; every other {kind} can be added.",
    )


def _google_key(m: re.Match[str], ctx: Context) -> Hit:
    return Hit(
        "other",
        "The Google Maps API key in the Geolocation module’s Google Maps settings is the interim key the note names "
        f"({said(m.string)}); it is replaced with the client’s own key before launch.",
        module="geolocation_google_maps",
    )


def _synced(m: re.Match[str], ctx: Context) -> Hit:
    source = m.group("src") or m.group("src2")
    return Hit(
        "other",
        f"{ctx.who} is to be filled from {source} by a sync that no ticket here builds (see the open question at "
        "the top): this ticket creates the field only, and editors can type a value until the sync runs.",
    )


def _map_controls(m: re.Match[str], ctx: Context) -> Hit:
    controls = _CONTROLS.split(m.group("x"))
    return Hit(
        "limit",
        f"{ctx.who}’s Geolocation widget (Manage form display) has these map controls enabled: {listing(controls)}.",
    )


def _menu(m: re.Match[str], ctx: Context) -> Hit:
    name = m.group("m").strip()
    menu = (
        "“Main navigation” (main)"
        if name.casefold() == "main"
        else f"the {q(name.title())} menu (named in the open question at the top: no sheet defines it)"
    )
    return Hit("limit", f"In {ctx.subject}’s Menu settings, {menu} is ticked under Available menus, so "
                        f"{ctx.form} offers it.")  # fmt: skip


_TOKEN_TYPES = {"node": "node", "media": "media", "taxonomy_term": "term", "block_content": "block_content",
                "paragraph": "paragraph"}  # fmt: skip


def _metatag(template: str, kind: str = "default") -> Callable[[re.Match[str], Context], Hit]:
    def build(m: re.Match[str], ctx: Context) -> Hit:
        entity = _TOKEN_TYPES.get(ctx.etype, "")
        token = f"[{entity}:{ctx.field_name}]" if entity and ctx.field_name else "its token"
        where = f"The Metatag defaults for {ctx.subject} (/admin/config/search/metatag)"
        etc = (
            " (the note adds “etc”: confirm any further values with the spec owner)"
            if "etc" in m.string
            else ""
        )
        text = template.format(
            where=where, who=ctx.who, item=ctx.item, form=ctx.form, token=token, etc=etc, **m.groupdict()
        )
        return Hit(kind, text, module="metatag_open_graph" if "og:" in template else "metatag")

    return build


def _file_ext(m: re.Match[str], ctx: Context) -> Hit:
    exts = " ".join(x for x in _EXTENSIONS.split(m.group("ext")) if x)
    return Hit("limit", f"{ctx.who} accepts only these file extensions: {exts} (Allowed file extensions in the "
                        "field settings); any other upload is refused.")  # fmt: skip


def _max(m: re.Match[str], ctx: Context) -> Hit:
    n = _n(m.group("n"))
    if ctx.etype == "view":
        promoted = (
            " and only promoted items (Filter: “Promoted to front page” = Yes)"
            if "promoted" in m.string.lower()
            else ""
        )
        offset = _OFFSET.search(m.string)
        skip = _n(offset.group("n")) if offset else ""
        after = f", skipping the first {skip}" if skip else ""
        pager = f"{n}, Offset {skip}" if skip else n
        return Hit("limit", f"{ctx.subject} shows at most {n} item{'' if n == '1' else 's'}{after}{promoted} (Pager: "
                            f"“Display a specified number of items”, {pager}).")  # fmt: skip
    return Hit("limit", f"{ctx.who} accepts at most {n}: Maximum is {n} in the field settings, and saving a "
                        "higher number is refused.")  # fmt: skip


def _auto_label(m: re.Match[str], ctx: Context) -> Hit:
    src = _TITLE_SOURCE.search(m.string)
    token_type = _TOKEN_TYPES.get(ctx.etype, "")
    if src:
        pattern = f", with a label pattern built from the {src.group('src').strip()} field’s token"
    elif ctx.field_name.startswith("field_") and token_type:
        # the note sits on the field the title is made from ("Use autoentity to replace node title")
        pattern = f", with the label pattern “[{token_type}:{ctx.field_name}]” (the value of {ctx.field})"
    else:
        pattern = ", with the label pattern the spec owner confirms (the note does not name the fields that make it)"
    return Hit(
        "auto_label",
        f"Automatic entity label is on for {ctx.subject} (its “Automatic label” tab): “Automatically generate the "
        f"label and hide the label field” is selected{pattern}; saving a new {ctx.item} fills in its title "
        "without the editor typing one.",
        module="auto_entitylabel",
    )


def _hidden_form(m: re.Match[str], ctx: Context) -> Hit:
    cond = _BRACKETED.search(m.string)
    when = f" (the note adds {q(cond.group(1))})" if cond else ""
    if _TITLE_FIELD.search(m.string) and not ctx.field:
        return Hit("hidden", f"The Title field is not on {ctx.form}: Automatic entity label’s “hide the label "
                             "field” option hides it, or it sits under Disabled in Manage form display.")  # fmt: skip
    if cond and (later := _LATER.match(cond.group(1))):
        return Hit("hidden", f"{ctx.who} stays on {ctx.form}{LATER} {later.group(0).strip()}, it moves under "
                             "Disabled in Manage form display (default form mode) with that work, which no ticket here "
                             "builds; this ticket checks only that it is on the form now.")  # fmt: skip
    return Hit("hidden", f"{ctx.who} is not on {ctx.form}: it sits under Disabled in Manage form "
                         f"display (default form mode){when}.")  # fmt: skip


_LATER = re.compile(r"^(?:after|once|when) .+", IGNORE)
LATER = " for now;"  # a field hidden only once other work is done: nothing to check hidden yet


def _hidden_view(m: re.Match[str], ctx: Context) -> Hit:
    return Hit("hidden", f"{ctx.who} is not rendered on {ctx.page}: it sits under Disabled in Manage "
                         "display for the Default view mode (its value stays available to tokens and metatags).")  # fmt: skip


def _conditional(m: re.Match[str], ctx: Context) -> Hit | None:
    text = m.string
    if not (_FORM.search(text) or _ONLY_SHOWN.search(text)):
        return None
    custom = _CUSTOM_FORM.search(text)
    module = "" if custom else "conditional_fields"
    if custom and _SUB_PARAGRAPH.search(text):
        how = (
            "this needs custom form code: Conditional Fields cannot reach into the items of another paragraph"
        )
    elif custom:
        how = ("Conditional Fields can show or hide a field but cannot change how many items it takes: hide the "
               "field that allows more, or limit it in a form alter")  # fmt: skip
    else:
        how = "e.g. a Conditional Fields dependency"
    if cm := _SHOWN_WHEN.search(text):
        return Hit("conditional", f"On {ctx.form}, {ctx.who} appears only when {cm.group('ctl')} is "
                                  f"{q(cm.group('val'))}, and is hidden otherwise ({how}).", module=module)  # fmt: skip
    if cm := _SHOWN_FOR.search(text):
        return Hit("conditional", f"On {ctx.form}, {ctx.who} appears only for the {q(cm.group('v'))} "
                                  f"version and is hidden otherwise ({how}).", module=module)  # fmt: skip
    return Hit("conditional", f"On {ctx.form}, check each case the note names: {said(text)} "
                              f"({how}).", module=module)  # fmt: skip


def display(p: str, ctx: Context) -> Hit:
    return _display(_ALL_TEXT.match(p), ctx)  # type: ignore[arg-type]


def _display(m: re.Match[str], ctx: Context) -> Hit:
    text = m.string.strip(" .")
    if dm := _RENDER_SIZE.fullmatch(text):
        rest = dm.group("rest")
        if _STYLE_SUFFIX.fullmatch(rest):
            what = f"{ctx.who} renders with the {dm.group('dim')} {rest.strip('()')} image style"
        else:
            what = (
                f"{ctx.who} renders with the {dm.group('dim')} image style"
                if not rest
                else f"{ctx.who}: {said(text)}"
            )
    elif dm := _RENDER_MODE.fullmatch(text):
        vm = dm.group("vm") or dm.group("vm2")
        what = f"{ctx.who} is shown with the “Rendered entity” formatter in the {q(vm)} view mode"
    elif dm := _RENDER_HEADING.fullmatch(text):
        h = dm.group("h").lower()
        template = (
            _field_template(ctx)
            if ctx.field_name and ctx.bundle and ctx.etype not in {"", "field"}
            else "a field template"
        )
        what = (
            f"{ctx.who} renders as an {h.upper()} heading: Manage display has no heading setting, so {template} "
            f"wraps the value in <{h}>; check the markup"
        )
    else:
        what = f"{ctx.who}: {said(text)}"
    if ctx.etype == "view_mode":
        return Hit("display", f"{what} ({ctx.subject}, Manage display).")
    ticket = "its bundle" if ctx.etype in {"", "field"} else ctx.subject
    return Hit("display", f"Display: {what} — built in the display ticket for {ticket}.")


# ------------------------------------------------------------------------------- other spec sheets


def _image_effect(template: str, module: str = "") -> Callable[[re.Match[str], Context], Hit]:
    def build(m: re.Match[str], ctx: Context) -> Hit:
        values = {k: v or "" for k, v in m.groupdict().items()}
        if values.get("both") and not values.get("h"):  # "scale width and height to 32" is 32×32
            values["h"] = values["w"]
        values.pop("both", None)
        wording = template
        if "{h}" in wording and values.get("w") and not values.get("h"):  # width only: height stays blank
            wording = wording.replace("{w}×{h}", "width {w}, height left blank")
        text = f"{ctx.subject} has the effect {wording.format(**values)} (/admin/config/media/image-styles)."
        return Hit("limit", text.replace("×.", ".").replace(" × ", " "), module=module)

    return build


def _responsive(m: re.Match[str], ctx: Context) -> Hit:
    pairs = _BREAKPOINTS.findall(m.string)
    uses = [f"{q(dim)} for the {bp} breakpoint" + (f" and the {bp2} breakpoint" if bp2 else "")
            for dim, bp, bp2 in pairs]  # fmt: skip
    only = _ONLY_MULTIPLIER.search(m.string)
    extra = f"; only the {only.group(1)} multiplier for {only.group(2)}" if only else ""
    return Hit("limit", f"{ctx.subject} uses the image style {'; '.join(uses)}{extra} (its Breakpoints settings, "
                        "/admin/config/media/responsive-image-style).")  # fmt: skip


def _workflow_scope(m: re.Match[str], ctx: Context) -> Hit:
    return Hit("limit", f"In {ctx.subject} (/admin/config/workflow/workflows), “This workflow applies to” ticks "
                        f"exactly the content types the note names: {said(m.group('x'))}; no other bundle is ticked.")  # fmt: skip


def _view(template: str) -> Callable[[re.Match[str], Context], Hit]:
    return lambda m, ctx: Hit("limit", cap(template.format(s=ctx.subject, **m.groupdict())) + " (Views UI).")


Build = Callable[[re.Match[str], Context], Hit | None]
MatchRule = tuple[re.Pattern[str], Build, frozenset[str] | None, tuple[str, ...]]

_FIELDISH = frozenset({"", "field", "node", "media", "paragraph", "block_content", "taxonomy_term"})


def _r(
    pattern: str | re.Pattern[str],
    build: Build,
    scope: frozenset[str] | None = _FIELDISH,
    *,
    needles: tuple[str, ...] = (),
) -> MatchRule:
    """`needles`: words one of which every match contains; a cheap `in` test skips the regex otherwise."""
    return (pattern if isinstance(pattern, re.Pattern) else _rx(pattern), build, scope, needles)


class RuleSet:
    """Rules in priority order, plus one regex over all their needles: a clause runs only the few rules whose
    needles it contains (a rule without needles always runs)."""

    def __init__(self, rules: tuple[MatchRule, ...]) -> None:
        self.rules = rules
        self.by_needle: dict[str, list[int]] = {}
        self.always = [i for i, rule in enumerate(rules) if not rule[3]]
        for i, (_, _, _, needles) in enumerate(rules):
            for needle in needles:
                self.by_needle.setdefault(needle, []).append(i)
        words = sorted(self.by_needle, key=len, reverse=True)
        self.needles = re.compile("|".join(map(re.escape, words))) if words else None
        # The scan reports the longest needle at each position; the shorter ones found there are its prefixes.
        self.prefixes = {w: [n for n in words if w.startswith(n)] for w in words}

        self.seen: dict[tuple[str, str], tuple[re.Match[str], Build] | None] = {}

    def remember(self, key: tuple[str, str], found: tuple[re.Match[str], Build] | None) -> None:
        """Spec notes repeat ("Limited HTML allowed" forty times): which rule reads a text depends only on the
        text and the entity kind, and a build declines (returns None) only on the text."""
        if len(self.seen) > 8192:
            self.seen.clear()
        self.seen[key] = found

    def candidates(self, lowered: str) -> list[int]:
        found = set(self.always)
        if self.needles is not None:
            pos = 0
            while m := self.needles.search(lowered, pos):
                for needle in self.prefixes[m.group(0)]:
                    found.update(self.by_needle[needle])
                pos = m.start() + 1  # overlapping needles ("default" inside "by default")
        return sorted(found)


_COND = _rx(
    r"\b(?:displayed|shown|show|visible)(?:/used)? (?:if|when|for)\b|^\(?only show\b|^if\b|\botherwise\b"
    r"|\bhide or disable\b"
)

# Sentence rules own their commas (lists), so they are tried on the whole sentence before it is cut.
SENTENCE_RULES = RuleSet(
    (
        _r(_COND, _conditional, needles=("display", "show", "visible", "if", "otherwise", "hide")),
        _r(r"^options?(?: include)?\s*:?\s+(?P<items>.+)$", _options, needles=("option",)),
        _r(r"^(?:open|closed)\s*,\s*(?:preview|summary)\b.*$", _paragraph_widget, needles=("closed", "open")),
        _r(
            r"^all (?P<which>(?:parent |content )?)paragraphs? (?:types? )?(?:are )?(?:allowed|enabled)"
            r"(?: except(?: for)? (?P<ex>.+))?$",
            _allowed_except,
            needles=("paragraph",),
        ),
        _r(r"^(?P<v>[^\d.]+?) (?:set|selected|checked) by default$", _default, needles=("by default",)),
        _r(
            r"^allowed (?:file )?(?:types|formats|extensions)\s*(?::|\()\s*(?P<ext>[a-z0-9 ,.]+?)\)?$",
            _file_ext,
            needles=("allowed",),
        ),
        _r(
            r"^allowed (?P<what>block|media|paragraph|content) types?\s*:\s*(?P<x>.+)$",
            _field_setting(
                "{who} references only these {what} types: {x} (Reference type in the field settings)."
            ),
            needles=("allowed",),
        ),
        _r(
            r"^on\s*=\s*(?P<on>[^,]+?),\s*off\s*=\s*(?P<off>.+)$",
            _field_setting("{who} has On label “{on}” and Off label “{off}” in the field settings."),
            needles=("off",),
        ),
        _r(
            r"^set (?:a )?meta ?tags? (?:for|to) .*\bno ?index\b.*$",
            _metatag(
                "{where} set Robots to noindex and nofollow{etc}; a published {item}’s page source carries "
                '<meta name="robots" content="noindex, nofollow">.'
            ),
            needles=("meta",),
        ),
        _r(
            r"^changes the metatags for the page to be .*$",
            _metatag(
                "Ticking {who} on a {item} makes that page’s robots meta tag “noindex, nofollow” (check the page "
                "source); unticked, the content type’s default applies.",
                "other",
            ),
            needles=("metatags",),
        ),
        _r(
            r"^set a metatag for the home page to use a custom title.*$",
            _metatag(
                "The Metatag Front page defaults (/admin/config/search/metatag/front, config "
                "metatag.metatag_defaults.front) set Page title to the home page's custom title, which the spec "
                "owner supplies: the front page's <title> shows it, not the node title (check the front page source).",
                "other",
            ),
            needles=("home page",),
        ),
        _r(
            r"^(?P<x>geocoder(?:,\s*\w+)*(?:,?\s*(?:and\s+)?\w+)?) enabled$",
            _map_controls,
            needles=("geocoder",),
        ),
        _r(
            r"^.*\brender\w*\b.*\b\d+\s*[x×]\s*\d+.*$",
            _display,
            _FIELDISH | {"field", "view_mode"},
            needles=("render",),
        ),
        _r(  # "will scale it to fit in a 200px box", "will not be upscaled": what an image style does
            r"^.*\b(?:(?:scale[sd]?|crop(?:s|ped)?)\b.*\b\d+\s*(?:px|[x×]\s*\d+)\b|(?:not|never) be up-?scaled\b).*$",
            _display,
            _FIELDISH | {"field", "view_mode"},
            needles=("scale", "crop"),
        ),
        _r(
            r"^add to (?P<where>.+?)(?: manage display)?, set to matching (?P<style>(?:responsive )?image style)$",
            _field_setting(
                "In Manage display of the {where}, the {item} view mode is enabled under Custom display settings, and "
                "its image renders with the {style} of the same name.",
                "display",
            ),
            frozenset({"view_mode"}),
            needles=("matching",),
        ),
        _r(r"^use (?P<a>\d+x\d+) for mobile.*$", _responsive, frozenset({"responsive"}), needles=("mobile",)),
        _r(r"^used on (?P<x>.+)$", _workflow_scope, frozenset({"workflow"}), needles=("used on",)),
        _r(
            r"^(?:uses|renders?|render as|shows) (?:the )?(?P<vm>teaser|card|thumbnail)(?: view mode)?$",
            _view("{s} renders its rows in the “{vm}” view mode"),
            frozenset({"view"}),
            needles=("teaser", "card", "thumbnail"),
        ),
        _r(
            r"^(?:does not|doesn'?t) inherit (?:the )?filters? (?:or|and) (?:the )?pager$",
            _view(
                "{s} has “Inherit contextual filters”, “Inherit exposed filters” and “Inherit pager” unticked "
                "in its Attachment settings"
            ),
            frozenset({"view"}),
            needles=("inherit",),
        ),
        _r(
            r"^already built(?: and used in (?P<x>.+))?$",
            lambda m, ctx: Hit(
                "limit",
                cap(
                    f"{ctx.subject} already exists"
                    + (f" (it is used in {m.group('x')})" if m.group("x") else "")
                    + ": update it in place; do not add a second display (Views UI)."
                ),
            ),
            frozenset({"view"}),
            needles=("already built",),
        ),
        _r(
            r"^should be updated to use (?:the )?(?P<vm>teaser|card|thumbnail) view mode and (?:a |the )?(?P<f>.+)$",
            _view("{s} renders its rows in the “{vm}” view mode and has a {f}"),
            frozenset({"view"}),
            needles=("updated",),
        ),
        _r(r"^shows? (?P<x>.+)$", _view("{s} shows {x}"), frozenset({"view"}), needles=("show",)),
        _r(
            r"^exposed filters? (?:for|on) (?P<x>.+)$",
            _view("{s} has exposed filters for {x}"),
            frozenset({"view"}),
            needles=("exposed",),
        ),
        _r(r"^sort(?:ed)? by (?P<x>.+)$", _view("{s} sorts by {x}"), frozenset({"view"}), needles=("sort",)),
        _r(
            r"^contextual filter (?:for|on) (?P<x>.+)$",
            _view("{s} has a contextual filter for {x}"),
            frozenset({"view"}),
            needles=("contextual",),
        ),
        _r(
            r"^filter(?:ed|s)? (?:for|to|by|based on) (?!(?:the )?paragraph\.?$)(?P<x>.+)$",
            _view("{s} filters {x}"),
            frozenset({"view"}),
            needles=("filter",),
        ),
        _r(
            rf"^(?:limit(?:ed)? to|max(?:imum)? of) {_NUM}\b.*$",
            _max,
            frozenset({"view"}),
            needles=("limit", "max"),
        ),
        _r(
            r"^sort(?:ed)? (?P<dir>desc|asc)\w*$",
            lambda m, ctx: Hit(
                "limit",
                f"{cap(ctx.subject)} has one sort criterion, {'descending' if m.group('dir').casefold() == 'desc' else 'ascending'}"
                " (Views UI); the note names no field to sort on, so the field is the one the open question "
                "settles.",
            ),
            frozenset({"view"}),
            needles=("sort",),
        ),
    )
)

# Automatic labels are tried before access rules: "so editors don't have to fill out" is not a permission.
AUTO_RULES = RuleSet(
    (
        _r(
            r"\bauto ?entity ?(?:label|title)?\b|\bauto_entitylabel\b|\bauto[- ]generated title\b"
            r"|\btitle (?:is )?set automatically\b",
            _auto_label,
            needles=("auto",),
        ),
    )
)

# Segment rules read one comma-separated piece of a sentence.
SEGMENT_RULES = RuleSet(
    (
        _r(_FORMAT, _text_format, needles=("html", "plain text", "formatted")),
        _r(_COND, _conditional, needles=("display", "show", "visible", "if", "otherwise", "hide")),
        _r(
            r"\bhidden (?:on|from|in) (?:the )?(?:\w+ )?form\b|\btitle field hidden\b|\bnot (?:shown|displayed) on "
            r"(?:the )?(?:\w+ )?form\b",
            _hidden_form,
            needles=("form", "hidden"),
        ),
        _r(
            r"\bnot (?:shown|displayed|rendered) on (?:the )?(?:node|page)\b|\bdo(?:n't| not) (?:render|display|show)"
            r"(?: on (?:the )?(?:node|page))?$|\bused for metatags only\b",
            _hidden_view,
            needles=("node", "page", "render", "display", "show", "metatags only"),
        ),
        _r(r"^(?:the )?default(?: value)? (?:is|to|=|:)\s*(?P<v>.+)$", _default, needles=("default",)),
        _r(r"^(?P<v>.+?) (?:set|selected|checked) by default$", _default, needles=("by default",)),
        _r(
            r"^checked by default$",
            _field_setting(
                "{who} is ticked (On) by default: Default value in the field "
                "settings, so a new {item} starts checked.",
                "default",
            ),
            needles=("by default",),
        ),
        _r(
            r"\bset (?:this|it) as (?:the )?default value\b",
            _field_setting(
                "{who} has a default value: the page the note asks to create on dev, set as the Default value in "
                "the field settings by its path (internal:/… or its alias), not picked in the autocomplete, which "
                "stores entity:node/N, a node ID that differs on stage and production. The page is content: it is "
                "created on each environment at that path before the default is relied on.",
                "default",
            ),
            needles=("default value",),
        ),
        _r(
            r"^no default (?P<what>[\w ]+)$",
            _field_setting(
                "{who} has no default {what}: the setting is left empty in the field settings.", "default"
            ),
            needles=("no default",),
        ),
        _r(
            r"^default to today$|^defaults? to (?:the )?current date$",
            _field_setting(
                "{who} defaults to the current date (Default date “Current date” in the field settings).",
                "default",
            ),
            needles=("today", "current date"),
        ),
        _r(
            r"^(?:pulled from (?P<src>.+?)(?: system)?|(?P<src2>hr) sync)$",
            _synced,
            needles=("pulled from", "sync"),
        ),
        _r(
            r"^(?:no summary|summary disabled|summary off|without summary)$",
            _field_setting(
                "{who} has “Summary input” unticked in the field settings, so the form shows no summary box."
            ),
            needles=("summary",),
        ),
        _r(r"^date only$", _date_type("date"), needles=("date",)),
        _r(r"^date and time$", _date_type("datetime"), needles=("date",)),
        _r(
            r"^date \(year\) only$|^year only$",
            _field_setting(
                "Open question for the spec owner, to settle before building {who}: a year only (review: "
                "year_only_date).",
                "other",
            ),
            needles=("year",),
        ),
        _r(
            r"^all[- ]day option$",
            _all_day,
            needles=("day",),
        ),
        _r(
            r"^allows? recurring$",
            _field_setting(
                "{who} accepts recurring dates: recurring is allowed in the field "
                "settings (Smart Date Recurring).",
                module="smart_date_recur",
            ),
            needles=("recurring",),
        ),
        _r(
            r"^(?:internal|external)(?: links?)? (?:and|or|&) (?:internal|external)(?: links?)?$",
            _link_type("both"),
            needles=("internal", "external"),
        ),
        _r(r"^external(?: links?)? only$", _link_type("external"), needles=("external",)),
        _r(r"^internal(?: links?)? only$", _link_type("internal"), needles=("internal",)),
        _r(r"^(?:no (?:link )?text|(?:link )?text disabled?)$", _link_text("disabled"), needles=("text",)),
        _r(r"^(?:link )?text required$", _link_text("required", "required"), needles=("text",)),
        _r(r"^(?:link )?text optional$", _link_text("optional"), needles=("text",)),
        _r(
            r"^alt(?: field)? enabled and required$",
            _field_setting(
                "{who} has “Enable Alt field” and “Alt field required” ticked in the field settings.",
                "required",
            ),
            needles=("alt",),
        ),
        _r(
            r"^description(?: field)? enabled$",
            _field_setting("{who} has “Enable Description field” ticked in the field settings."),
            needles=("description",),
        ),
        _r(
            r"^max(?:imum)? (?:upload |file )?size (?:of )?(?P<n>\d+(?:\.\d+)?)\s*(?P<u>kb|mb|gb)$",
            lambda m, ctx: Hit(
                "limit",
                f"{ctx.who} refuses files over {m.group('n')} {m.group('u').upper()}: Maximum "
                f"upload size “{m.group('n')} {m.group('u').upper()}” in the field settings.",
            ),
            needles=("size",),
        ),
        _r(
            r"^(?:file )?directory\s*\(?(?P<d>\[[^\s]+\])\)?$",
            _field_setting("{who} stores uploads in the File directory “{d}” (field settings)."),
            needles=("directory",),
        ),
        _r(
            r"^allowed (?:file )?(?:types|formats|extensions)\s*(?::|\()\s*(?P<ext>[a-z0-9 ,.]+?)\)?$",
            _file_ext,
            needles=("allowed",),
        ),
        _r(rf"^max(?:imum)?(?: of)? {_NUM}$", _max, needles=("max",)),
        _r(
            r"^(?:only|on) (?P<x>[\w &'-]+?) (?:allowed|enabled)$",
            _field_setting(
                "{who} allows only the paragraph type the note names (“{x}”): exactly one type is ticked "
                "under Reference type in the field settings."
            ),
            needles=("allowed", "enabled"),
        ),
        _r(
            r"^preview(?: view)? mode is (?P<m>[\w ]+)$",
            _field_setting(
                "{who}’s form widget uses the “{m}” view mode for previews (Preview view mode, Manage form "
                "display)."
            ),
            needles=("preview",),
        ),
        _r(
            r"^(?P<n>\d+) nesting levels?$|^nesting level is (?P<n2>\d+)$",
            lambda m, ctx: Hit(
                "limit",
                f"{ctx.who}’s form widget has Maximum nesting depth "
                f"{m.group('n') or m.group('n2')} (Manage form display), so layouts cannot be "
                "nested inside layouts.",
            ),
            needles=("nesting",),
        ),
        _r(
            r"^require paragraphs to be added in(?:side)? a layout$",
            _field_setting(
                "{who}’s form widget has “Require paragraphs to be added inside a layout” ticked (Manage "
                "form display)."
            ),
            needles=("layout",),
        ),
        _r(r"^allow(?:ed|s)? in (?:the )?(?P<m>[\w ]+?) menu$", _menu, needles=("menu",)),
        _r(
            r"^allows? promotion$",
            _field_setting(
                "The “Promoted to front page” option is on {form} "
                "(Promotion options; the promote field is enabled in Manage "
                "form display)."
            ),
            needles=("promotion",),
        ),
        _r(
            r"^no fields (?:needed|required)(?: for this bundle)?$",
            _field_setting("{subject} has no fields of its own: its Manage fields page lists none."),
            needles=("no fields",),
        ),
        _r(
            r"^set as (?:the )?metatag (?P<tag>abstract|description|title|keywords)$",
            _metatag(
                '{where} set {tag} to {who}’s token ({token}), so a page’s <meta name="{tag}"> carries its value.'
            ),
            needles=("metatag",),
        ),
        _r(
            r"^use custom metatag setup to include (?P<src>\w+) instead of (?P<dst>\w+)$",
            _metatag(
                "{where} take the description from {who}’s token ({token}) instead of {dst}, so a page’s "
                '<meta name="description"> carries the {src} text.'
            ),
            needles=("metatag",),
        ),
        _r(
            r"^update metatags to use this image$",
            _metatag(
                "{where} use {who} for the social share image (og:image), so a page’s source carries that "
                "image’s URL."
            ),
            needles=("metatags",),
        ),
        _r(
            r"\bgoogle api key\b",
            _google_key,
            needles=("api key",),
        ),
        _r(
            r"^(?:note:\s*)?will need to add (?:the )?svg image module$",
            lambda m, ctx: Hit(
                "other",
                "The SVG Image module (svg_image) is enabled (drush pm:list --status=enabled), "
                f"so {ctx.who} accepts svg uploads.",
                module="svg_image",
            ),
            needles=("svg",),
        ),
        # The edit form's sidebar, beside the Meta tags details: form display work, not Manage display.
        _r(
            r"^(?:put|place|show)(?: it)? in (?:the )?sidebar(?: tab)?(?: next to| beside| with) (?:the )?(?P<next>[\w ]+?)$",
            lambda m, ctx: Hit(
                "limit",
                f"On {ctx.form}, {ctx.who} sits in the sidebar beside {q(_sidebar_item(m.group('next')))}: "
                "Manage form display puts it in a field group of format “Details Sidebar” (Field Group module).",
                module="field_group",
            ),
            needles=("sidebar",),
        ),
        # Display: sizes, image styles, view modes and formatters belong to the display ticket.
        _r(
            r"\brender(?:ed)? (?:as|at)\b|\brender (?:\d|correct|according)|\bview modes?\b|\bimage style\b"
            r"|\b\d+\s*[x×]\s*\d+\b|\bteaser\b|\bthumbnail view\b|\bfield label\b|\bmarker info window\b|\bmap type\b"
            r"|\bshown on (?:the )?pin\b",
            _display,
            _FIELDISH | {"view_mode"},
            needles=(
                "render",
                "view mode",
                "image style",
                "teaser",
                "thumbnail",
                "field label",
                "marker",
                "map type",
                "sidebar",
                "pin",
                "0",
                "1",
                "2",
                "3",
                "4",
                "5",
                "6",
                "7",
                "8",
                "9",
            ),
        ),
        # Other sheets.
        _r(
            r"^focal point scale and crop (?:to )?(?P<w>\d+)\s*x\s*(?P<h>\d+)$",
            _image_effect("“Focal Point Scale and Crop” {w}×{h}", "focal_point"),
            frozenset({"image_style"}),
            needles=("focal",),
        ),
        _r(
            r"^scale and crop (?:to )?(?P<w>\d+)\s*x\s*(?P<h>\d+)(?:px)?$",
            _image_effect("“Scale and crop” {w}×{h}"),
            frozenset({"image_style"}),
            needles=("scale and crop",),
        ),
        _r(
            r"^scale (?:w(?:id|di)th(?P<both>/height| and height)? )?(?:to )?(?P<w>\d+)(?:\s*x\s*(?P<h>\d+))?"
            r"(?P<up> upscaling allowed)?$",
            _image_effect("“Scale” {w}×{h}{up}"),
            frozenset({"image_style"}),
            needles=("scale",),
        ),
        _r(
            r"^upscaling allowed$",
            _image_effect("“Scale” with “Allow Upscale” ticked"),
            frozenset({"image_style"}),
            needles=("upscaling",),
        ),
        _r(
            r"^image style quality (?P<q>\d+)%$",
            _image_effect("“Image Style Quality” {q}%", "image_style_quality"),
            frozenset({"image_style"}),
            needles=("quality",),
        ),
        _r(
            r"^convert to webp$",
            _image_effect("“Convert” with extension webp"),
            frozenset({"image_style"}),
            needles=("webp",),
        ),
        _r(
            r"^no focal point$",
            lambda m, ctx: Hit("limit", f"{ctx.subject} has no Focal Point effect."),
            frozenset({"image_style"}),
            needles=("focal",),
        ),
        _r(
            r"^no webp$",
            lambda m, ctx: Hit(
                "limit", f"{ctx.subject} has no Convert effect: derivatives keep the source format."
            ),
            frozenset({"image_style"}),
            needles=("webp",),
        ),
        _r(
            rf"^(?:limit(?:ed)? to|max(?:imum)? of) {_NUM}\b.*$",
            _max,
            frozenset({"view"}),
            needles=("limit", "max"),
        ),
        _r(
            r"^(?:uses|renders?|render as|shows) (?:the )?(?P<vm>teaser|card|thumbnail)(?: view mode)?$",
            _view("{s} renders its rows in the “{vm}” view mode"),
            frozenset({"view"}),
            needles=("teaser", "card", "thumbnail"),
        ),
    )
)


def apply(rules: RuleSet, p: str, ctx: Context) -> Hit | None:
    key = (p, ctx.etype)
    if key in rules.seen:
        found = rules.seen[key]
        return found[1](found[0], ctx) if found else None
    for i in rules.candidates(p.casefold()):
        rx, build, scope, _ = rules.rules[i]
        if (scope is None or ctx.etype in scope) and (m := rx.search(p)) and (hit := build(m, ctx)):
            rules.remember(key, (m, build))
            return hit
    rules.remember(key, None)
    return None
