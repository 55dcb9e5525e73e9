"""The rules that turn one spec clause into a checkable criterion, in Drupal's own words.

Each rule reads the clause as plain text (tags stripped, whitespace collapsed) and either returns a `Hit`
or None. Wording follows the admin UI labels a tester sees, so a criterion can be ticked off there or with
drush; where the spec is vague the criterion says so instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from ticketgen.planner._utils import machine, singular

I = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str
    criterion: str
    roles: tuple[str, ...] = ()
    persona: str = ""
    module: str = ""


@dataclass(frozen=True, slots=True)
class Context:
    subject: str
    label: str
    etype: str  # node | media | paragraph | block_content | taxonomy_term | workflow | role | view | ...
    field: str
    field_name: str
    roles: Mapping[str, str]
    help: bool

    @property
    def who(self) -> str:
        return self.field or self.subject

    @property
    def item(self) -> str:
        return self.label or self.subject


Rule = Callable[[str, Context], Hit | None]

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
)


def context(subject: str, roles: Mapping[str, str], field: str, help: bool) -> Context:
    subject, field = " ".join(subject.split()), " ".join(field.split())
    label, etype = subject, ""
    if m := re.fullmatch(r"(.+?)\s*\(([^()]+)\)", subject):
        etype = next((t for s, t in _SUBJECT_TYPES if m.group(2).casefold() == s), "")
        label = m.group(1) if etype else subject
    if not etype:
        for suffix, t in _SUBJECT_TYPES:
            if subject.casefold().endswith(" " + suffix):
                label, etype = subject[: -len(suffix) - 1].strip(), t
                break
    fm = re.fullmatch(r"(.+?)\s*\(([a-z0-9_]+)\)", field)
    return Context(subject, label, etype, field, fm.group(2) if fm else "", roles, help)


def q(text: str) -> str:
    return f"“{text}”"


def listing(items: list[str], conj: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conj} {items[-1]}" if items else ""


def said(text: str) -> str:
    return q(text.rstrip(" .;,"))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# Markers of a clause the spec itself is unsure about: the criterion asks the spec owner to confirm.
TENTATIVE = re.compile(
    r"\b(?:if possible|ideally|potentially|likely|maybe|possibly|perhaps|see if|not sure|tbd|may not|might|"
    r"need (?:more )?(?:info|information|confirmation|actual text)|hold until)\b|\?\?",
    I,
)
_FRONT = re.compile(
    r"\bfront[- ]?(?:end|side)\b|\btwig\b|\btheme\b|\btheming\b|\btemplate\b|\bclass\b|\bmobile\b|\bmockups?\b"
    r"|\brender\w*\b|\bappears?\b|\blink(?:ed)? (?:directly )?to\b|\bwill (?:not )?be (?:displayed|shown)\b"
    r"|\bin place of\b|\bdisplay(?:ed)? (?:only|below|under)\b|\bsized\b|\bfit (?:to|on) one\b|\bon the node\b",
    I,
)
_FORM = re.compile(
    r"\b(?:node|edit|paragraph|admin|entity) form\b|\bform display\b|\bwidget\b|\badmin side\b|\bcan be added\b"
    r"|\bability to add\b|\blist type\b",
    I,
)
_GUIDE = re.compile(
    r"\b(?:you|your)\b|^(?:please|paste|enter|select|choose|leave blank|make sure|optionally|override|to select"
    r"|example|always|do not|guidance|format should|this is the|this could be)\b|optimal image size",
    I,
)
_BEHAVES = re.compile(
    r"\bwill\b|\bwon't\b|\bautomatically\b|\bonly appear|\bdoes not affect\b|\bnot be displayed\b", I
)


def guidance(p: str, ctx: Context) -> Hit | None:
    """Text for editors (help text, or notes written to them) is checked on the form, not built."""
    if ctx.etype in {"view", "role", "workflow", "image_style", "responsive", "view_mode"}:
        return None
    if (ctx.help and not _BEHAVES.search(p)) or _GUIDE.search(p):
        where = f"under {ctx.field} on the {ctx.item} form" if ctx.field else f"on the {ctx.item} form"
        return Hit("other", f"The help text {where} tells editors: {said(p)}.")
    return None


def fallback(p: str, ctx: Context) -> Hit:
    if ctx.etype == "view":
        return Hit(
            "other",
            f"Check in the Views UI and on the rendered page that {ctx.subject} does this: {said(p)}.",
        )
    if ctx.etype in {"image_style", "responsive"}:
        return Hit("other", f"Check on {ctx.subject} (/admin/config/media): {said(p)}.")
    if ctx.etype == "workflow":
        return Hit("other", f"Check in {ctx.subject} (/admin/config/workflow/workflows): {said(p)}.")
    if ctx.field and _FRONT.search(p):
        where = f"on {ctx.field}’s front-end display"
    elif _FRONT.search(p):
        where = f"on the front end of a published {ctx.item}"
    elif _FORM.search(p):
        where = f"on the {ctx.item} add/edit form" + (f" ({ctx.field})" if ctx.field else "")
    else:
        where = f"for {ctx.field} on the {ctx.subject}" if ctx.field else f"for the {ctx.subject}"
    verb = "Confirm with the spec owner and check" if TENTATIVE.search(p) else "Check"
    return Hit("other", f"{verb}: {said(p)} is in place {where}.")


def tentative(p: str, hit: Hit) -> Hit:
    if hit.kind == "other" or not (m := TENTATIVE.search(p)):
        return hit
    note = f" The spec marks this as tentative ({q(m.group(0))}): confirm with the spec owner first."
    return Hit(hit.kind, hit.criterion + note, hit.roles, hit.persona, hit.module)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, I)


# ------------------------------------------------------------------------------------ field settings

_CORE_FORMATS = {"basic html": "basic_html", "full html": "full_html", "restricted html": "restricted_html",
                 "plain text": "plain_text"}  # fmt: skip
_FORMAT = _rx(
    r"^(?:only )?(?P<fmt>limited html|basic html|full html|restricted html|plain text"
    r"|short(?: text)? formatted(?: html)?)(?: is)?(?: allowed| only)?$"
)


def text_format(p: str, ctx: Context) -> Hit | None:
    if not (m := _FORMAT.match(p)):
        return None
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
_LINK_TYPES = {"both": "“Both internal and external links”", "external": "“External links only”",
               "internal": "“Internal links only”"}  # fmt: skip
_LINK_TEXT = {"disabled": "“Disabled”", "required": "“Required”", "optional": "“Optional”"}


def _n(value: str) -> str:
    return _WORDS.get(value.casefold(), value)


def _field_setting(
    template: str, kind: str = "limit", module: str = ""
) -> Callable[[re.Match[str], Context], Hit]:
    return lambda m, ctx: Hit(
        kind, template.format(who=ctx.who, item=ctx.item, **m.groupdict()), module=module
    )


def _link_type(which: str) -> Callable[[re.Match[str], Context], Hit]:
    return _field_setting(f"{{who}} has Allowed link type {_LINK_TYPES[which]} in the field settings.")


def _link_text(which: str, kind: str = "limit") -> Callable[[re.Match[str], Context], Hit]:
    return _field_setting(
        f"{{who}} has Allow link text set to {_LINK_TEXT[which]} in the field settings.", kind
    )


def _default(m: re.Match[str], ctx: Context) -> Hit:
    value = m.group("v").strip(" .'\"")
    if tm := re.fullmatch(r"(?P<t>.+?)\s+terms?", value, I):
        items = [x for x in re.split(r",\s*|\s+and\s+", tm.group("t")) if x]
        shown = f"the {listing([q(x) for x in items])} term{'s' if len(items) > 1 else ''}"
    elif re.fullmatch(r"\d+", value):
        shown = value
    else:
        items = [x for x in re.split(r",\s*", value) if x]
        shown = listing([q(x) for x in items]) if len(items) > 1 else q(value)
    return Hit(
        "default",
        f"{ctx.who} defaults to {shown}: it is the Default value in the field settings, so a new {ctx.item} "
        "starts with it.",
    )


def _options(m: re.Match[str], ctx: Context) -> Hit:
    raw = m.group("items").strip(" .")
    items = [x.strip(" '\"") for x in re.split(r",\s*|\s+and\s+|\s+or\s+", raw) if x.strip(" '\"")]
    if any(
        len(x.replace(" - ", " ").split()) > 4 or re.search(r"\b(?:will|each|etc)\b", x, I) for x in items
    ):
        return Hit("limit", f"{ctx.who} offers the options the note describes ({q(raw)}): confirm the exact list "
                            "with the spec owner, then check the form offers exactly those.")  # fmt: skip
    return Hit(
        "limit", f"{ctx.who} offers exactly these choices, in this order: {', '.join(q(x) for x in items)}."
    )


def _paragraph_widget(m: re.Match[str], ctx: Context) -> Hit:
    settings: list[str] = []
    rest: list[str] = []
    for raw in re.split(r",\s*", m.group(0).strip(" .")):
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
        elif dm := re.fullmatch(r"(\w+) form display", token):
            settings.append(f"Form display mode {q(dm.group(1).title())}")
        elif token == "no default paragraph":
            settings.append("Default paragraph type “- None -”")
        elif dm := re.fullmatch(r"(.+?) default paragraph", raw.strip(), I):
            settings.append(f"Default paragraph type {q(dm.group(1))}")
        elif re.fullmatch(r"only collapse ?/ ?edit all enabled", token):
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
    excluded = [x.strip() for x in re.split(r",\s*|\s+and\s+", m.group("ex").strip(" .")) if x.strip()]
    return Hit(
        "limit",
        f"{ctx.who}: Reference type in the field settings is set to “Exclude the selected below” with exactly "
        f"these paragraph types ticked: {', '.join(q(x) for x in excluded)}; every other {kind} can be added.",
    )


def _menu(m: re.Match[str], ctx: Context) -> Hit:
    name = m.group("m").strip()
    menu = (
        "“Main navigation” (main)"
        if name.casefold() == "main"
        else f"the {q(name.title())} menu (it must exist)"
    )
    return Hit("limit", f"In the {ctx.subject}’s Menu settings, {menu} is ticked under Available menus, so the "
                        f"{ctx.item} add form offers it.")  # fmt: skip


def _metatag(template: str, kind: str = "default") -> Callable[[re.Match[str], Context], Hit]:
    def build(m: re.Match[str], ctx: Context) -> Hit:
        token = f"[{ctx.etype or 'node'}:{ctx.field_name or machine(ctx.field) or 'field'}]"
        where = f"The Metatag defaults for {ctx.subject} (/admin/config/search/metatag)"
        etc = (
            " (the note adds “etc”: confirm any further values with the spec owner)"
            if "etc" in m.string
            else ""
        )
        text = template.format(where=where, who=ctx.who, item=ctx.item, token=token, etc=etc, **m.groupdict())
        return Hit(kind, text, module="metatag")

    return build


def _file_ext(m: re.Match[str], ctx: Context) -> Hit:
    exts = " ".join(x for x in re.split(r"[\s,.]+", m.group("ext")) if x)
    return Hit("limit", f"{ctx.who} accepts only these file extensions: {exts} (Allowed file extensions in the "
                        "field settings); any other upload is refused.")  # fmt: skip


def _max(m: re.Match[str], ctx: Context) -> Hit:
    n = _n(m.group("n"))
    if ctx.etype == "view":
        return Hit("limit", f"{ctx.subject} shows at most {n} items (Pager: “Display a specified number of "
                            f"items”, {n}).")  # fmt: skip
    return Hit("limit", f"{ctx.who} accepts at most {n}: Maximum is {n} in the field settings, and saving a "
                        "higher number is refused.")  # fmt: skip


def _auto_label(m: re.Match[str], ctx: Context) -> Hit:
    src = re.search(r"(?P<src>[\w ]+?) field becomes the (?:node )?title", m.string, I)
    pattern = (
        f", with a label pattern built from the {src.group('src').strip()} field’s token"
        if src
        else ", with the label pattern the spec owner confirms (the note does not name the fields that make it)"
    )
    return Hit(
        "auto_label",
        f"Automatic entity label is on for {ctx.subject} (its “Automatic label” tab): “Automatically generate the "
        f"label and hide the label field” is selected{pattern}; saving a new {ctx.item} fills in its title "
        "without the editor typing one.",
        module="auto_entitylabel",
    )


def _hidden_form(m: re.Match[str], ctx: Context) -> Hit:
    who = "The Title field" if re.search(r"\btitle field\b", m.string, I) and not ctx.field else ctx.who
    cond = re.search(r"\(([^()]+)\)", m.string)
    when = f" (the note adds {q(cond.group(1))})" if cond else ""
    return Hit("hidden", f"{who} is not on the {ctx.item} add/edit form: it sits under Disabled in Manage form "
                         f"display (default form mode){when}.")  # fmt: skip


def _hidden_view(m: re.Match[str], ctx: Context) -> Hit:
    return Hit("hidden", f"{ctx.who} is not rendered on the {ctx.item} page: it sits under Disabled in Manage "
                         "display for the Default view mode (its value stays available to tokens and metatags).")  # fmt: skip


def _conditional(m: re.Match[str], ctx: Context) -> Hit:
    text = m.string
    custom = re.search(r"sub[- ]?paragraph|ability to add|can be added|up to \w+ \w+ can", text, I)
    module = "" if custom else "conditional_fields"
    how = ("this needs custom form code: Conditional Fields cannot reach across paragraphs or limit how many "
           "items can be added" if custom else "e.g. a Conditional Fields dependency")  # fmt: skip
    if cm := re.search(
        r"(?:displayed|shown|show|visible) (?:if|when) (?:the )?(?P<ctl>[\w ]+?) (?:is|=|equals) ['\"]?(?P<val>[\w ]+)",
        text,
        I,
    ):
        return Hit("conditional", f"On the {ctx.item} form, {ctx.who} appears only when {cm.group('ctl')} is "
                                  f"{q(cm.group('val'))}, and is hidden otherwise ({how}).", module=module)  # fmt: skip
    if cm := re.search(
        r"only (?:show|shown|displayed)(?:/used)? for (?:the )?(?P<v>[\w ]+?)(?: version)?\)?$", text, I
    ):
        return Hit("conditional", f"On the {ctx.item} form, {ctx.who} appears only for the {q(cm.group('v'))} "
                                  f"version and is hidden otherwise ({how}).", module=module)  # fmt: skip
    return Hit("conditional", f"On the {ctx.item} add/edit form, check each case the note names: {said(text)} "
                              f"({how}).", module=module)  # fmt: skip


def _display(m: re.Match[str], ctx: Context) -> Hit:
    text = m.string.strip(" .")
    if dm := re.fullmatch(r"render(?:ed)? (?:as|at) (?P<dim>\d+\s*[x×]\s*\d+)(?P<rest>.*)", text, I):
        what = f"{ctx.who} renders with the {dm.group('dim')} image style{dm.group('rest')}"
    elif dm := re.fullmatch(r"render(?:ed)? as (?:the )?(?P<vm>[\w ]+?) view mode|render(?:ed)? as (?P<vm2>teaser|"
                            r"thumbnail|widget|default|card)", text, I):  # fmt: skip
        vm = dm.group("vm") or dm.group("vm2")
        what = f"{ctx.who} is shown with the “Rendered entity” formatter in the {q(vm)} view mode"
    elif dm := re.fullmatch(r"render(?:ed)? as (?:an? )?(?P<h>h[1-6])", text, I):
        what = f"{ctx.who} renders as an {dm.group('h').upper()} heading"
    else:
        what = f"{ctx.who}: {said(text)}"
    if ctx.etype == "view_mode":
        return Hit("display", f"{what} ({ctx.subject}, Manage display).")
    return Hit("display", f"Display: {what} — built in the display ticket for {ctx.subject}.")


# ------------------------------------------------------------------------------- other spec sheets


def _image_effect(template: str, module: str = "") -> Callable[[re.Match[str], Context], Hit]:
    def build(m: re.Match[str], ctx: Context) -> Hit:
        values = {k: v or "" for k, v in m.groupdict().items()}
        text = f"{ctx.subject} has the effect {template.format(**values)} (/admin/config/media/image-styles)."
        return Hit("limit", text.replace("×.", ".").replace(" × ", " "), module=module)

    return build


def _responsive(m: re.Match[str], ctx: Context) -> Hit:
    pairs = re.findall(
        r"(\d+x\d+)\s+(?:for|at)\s+(\w+)(?:\s*(?:&|and)\s*(desk\w*|tab\w*|mobile\w*))?", m.string, I
    )
    uses = [f"{q(dim)} for the {bp} breakpoint" + (f" and the {bp2} breakpoint" if bp2 else "")
            for dim, bp, bp2 in pairs]  # fmt: skip
    only = re.search(r"\(only (\w+) for (\w+)\)", m.string, I)
    extra = f"; only the {only.group(1)} multiplier for {only.group(2)}" if only else ""
    return Hit("limit", f"{ctx.subject} uses the image style {'; '.join(uses)}{extra} (its Breakpoints settings, "
                        "/admin/config/media/responsive-image-style).")  # fmt: skip


def _workflow_scope(m: re.Match[str], ctx: Context) -> Hit:
    return Hit("limit", f"In {ctx.subject} (/admin/config/workflow/workflows), “This workflow applies to” ticks "
                        f"exactly the content types the note names: {said(m.group('x'))}; no other bundle is ticked.")  # fmt: skip


def _view(template: str) -> Callable[[re.Match[str], Context], Hit]:
    return lambda m, ctx: Hit("limit", template.format(s=ctx.subject, **m.groupdict()) + " (Views UI).")


MatchRule = tuple[re.Pattern[str], Callable[[re.Match[str], Context], Hit], frozenset[str] | None]

_ANY: frozenset[str] | None = None
_FIELDISH = frozenset({"", "node", "media", "paragraph", "block_content", "taxonomy_term"})


def _r(
    pattern: str, build: Callable[[re.Match[str], Context], Hit], scope: frozenset[str] | None = _FIELDISH
) -> MatchRule:
    return (_rx(pattern), build, scope)


# Sentence rules own their commas (lists), so they are tried on the whole sentence before it is cut.
SENTENCE_RULES: tuple[MatchRule, ...] = (
    _r(r"^options?(?: include)?\s*:?\s+(?P<items>.+)$", _options),
    _r(r"^(?:open|closed)\s*,\s*(?:preview|summary)\b.*$", _paragraph_widget),
    _r(
        r"^all (?P<which>(?:parent |content )?)paragraphs? (?:types? )?(?:are )?(?:allowed|enabled)"
        r"(?: except(?: for)? (?P<ex>.+))?$",
        _allowed_except,
    ),
    _r(r"^(?P<v>[^\d.]+?) (?:set|selected|checked) by default$", _default),
    _r(r"^allowed (?:file )?(?:types|formats|extensions)\s*(?::|\()\s*(?P<ext>[a-z0-9 ,.]+?)\)?$", _file_ext),
    _r(
        r"^allowed (?P<what>block|media|paragraph|content) types?\s*:\s*(?P<x>.+)$",
        _field_setting(
            "{who} references only these {what} types: {x} (Reference type in the field settings)."
        ),
    ),
    _r(
        r"^on\s*=\s*(?P<on>[^,]+?),\s*off\s*=\s*(?P<off>.+)$",
        _field_setting("{who} has On label “{on}” and Off label “{off}” in the field settings."),
    ),
    _r(
        r"^set (?:a )?meta ?tags? (?:for|to) .*\bno ?index\b.*$",
        _metatag(
            "{where} set Robots to noindex and nofollow{etc}; a published {item}’s page source carries "
            '<meta name="robots" content="noindex, nofollow">.'
        ),
    ),
    _r(
        r"^changes the metatags for the page to be .*$",
        _metatag(
            "Ticking {who} on a {item} makes that page’s robots meta tag “noindex, nofollow” (check the page "
            "source); unticked, the content type’s default applies.",
            "other",
        ),
    ),
    _r(
        r"^set a metatag for the home page to use a custom title.*$",
        _metatag(
            "On the home page’s {item}, the Metatags field sets Page title to a custom title: the <title> of "
            "the front page shows it, not the node title.",
            "other",
        ),
    ),
    _r(
        r"^geocoder,.*$",
        _field_setting(
            "{who}’s Geolocation widget settings (Manage form display) enable "
            "exactly the controls the note lists."
        ),
    ),
    _r(r"^use (?P<a>\d+x\d+) for mobile.*$", _responsive, frozenset({"responsive"})),
    _r(r"^used on (?P<x>.+)$", _workflow_scope, frozenset({"workflow"})),
    _r(r"^shows? (?P<x>.+)$", _view("{s} shows {x}"), frozenset({"view"})),
    _r(
        r"^exposed filters? (?:for|on) (?P<x>.+)$",
        _view("{s} has exposed filters for {x}"),
        frozenset({"view"}),
    ),
    _r(r"^sort(?:ed)? by (?P<x>.+)$", _view("{s} sorts by {x}"), frozenset({"view"})),
    _r(
        r"^contextual filter (?:for|on) (?P<x>.+)$",
        _view("{s} has a contextual filter for {x}"),
        frozenset({"view"}),
    ),
    _r(r"^filter(?:ed|s)? (?:for|to|by|based on) (?P<x>.+)$", _view("{s} filters {x}"), frozenset({"view"})),
    _r(rf"^(?:limit(?:ed)? to|max(?:imum)? of) {_NUM}\b.*$", _max, frozenset({"view"})),
)

# Segment rules read one comma-separated piece of a sentence.
SEGMENT_RULES: tuple[MatchRule, ...] = (
    _r(
        r"\bauto ?entity ?(?:label|title)?\b|\bauto_entitylabel\b|\bauto[- ]generated title\b"
        r"|\btitle (?:is )?set automatically\b",
        _auto_label,
    ),
    _r(
        r"(?:^|\b(?:only )?)(?:displayed|shown|show|visible)(?:/used)? (?:if|when|for)\b|^\(?only show\b|^if\b"
        r"|\botherwise\b|\bhide or disable\b",
        lambda m, ctx: _conditional(m, ctx),
    ),
    _r(
        r"\bhidden (?:on|from|in) (?:the )?(?:\w+ )?form\b|\btitle field hidden\b|\bnot (?:shown|displayed) on "
        r"(?:the )?(?:\w+ )?form\b",
        _hidden_form,
    ),
    _r(
        r"\bnot (?:shown|displayed|rendered) on (?:the )?(?:node|page)\b|\bdo(?:n't| not) (?:render|display|show)"
        r"(?: on (?:the )?(?:node|page))?$|\bused for metatags only\b",
        _hidden_view,
    ),
    _r(r"^(?:the )?default(?: value)? (?:is|to|=|:)\s*(?P<v>.+)$", _default),
    _r(r"^(?P<v>.+?) (?:set|selected|checked) by default$", _default),
    _r(
        r"^checked by default$",
        _field_setting(
            "{who} is ticked (On) by default: Default value in the field "
            "settings, so a new {item} starts checked.",
            "default",
        ),
    ),
    _r(
        r"\bset (?:this|it) as (?:the )?default value\b",
        _field_setting(
            "{who} has a default value: the page the note asks to create on dev is set as the Default "
            "value in the field settings.",
            "default",
        ),
    ),
    _r(
        r"^no default (?P<what>[\w ]+)$",
        _field_setting(
            "{who} has no default {what}: the setting is left empty in the field settings.", "default"
        ),
    ),
    _r(
        r"^default to today$|^defaults? to (?:the )?current date$",
        _field_setting(
            "{who} defaults to the current date (Default date “Current date” in the field settings).",
            "default",
        ),
    ),
    _r(
        r"^(?:no summary|summary disabled|summary off|without summary)$",
        _field_setting(
            "{who} has “Summary input” unticked in the field settings, so the form shows no summary box."
        ),
    ),
    _r(
        r"^date only$",
        _field_setting(
            "{who} stores a date without a time: Date type “Date only” in the field "
            "storage settings (datetime_type: date)."
        ),
    ),
    _r(
        r"^date and time$",
        _field_setting(
            "{who} stores a date with a time: Date type “Date and time” in the field "
            "storage settings (datetime_type: datetime)."
        ),
    ),
    _r(
        r"^date \(year\) only$|^year only$",
        _field_setting(
            "{who} collects a year only. Core Date has no year-only type, so confirm the widget with the "
            "spec owner (e.g. a year-only date widget) before building."
        ),
    ),
    _r(r"^all[- ]day option$", _field_setting("{who} offers an “All day” option on the {item} form.")),
    _r(
        r"^allows? recurring$",
        _field_setting(
            "{who} accepts recurring dates: recurring is allowed in the field "
            "settings (Smart Date Recurring).",
            module="smart_date_recur",
        ),
    ),
    _r(
        r"^(?:internal|external)(?: links?)? (?:and|or|&) (?:internal|external)(?: links?)?$",
        _link_type("both"),
    ),
    _r(r"^external(?: links?)? only$", _link_type("external")),
    _r(r"^internal(?: links?)? only$", _link_type("internal")),
    _r(r"^(?:no (?:link )?text|(?:link )?text disabled?)$", _link_text("disabled")),
    _r(r"^(?:link )?text required$", _link_text("required", "required")),
    _r(r"^(?:link )?text optional$", _link_text("optional")),
    _r(
        r"^alt(?: field)? enabled and required$",
        _field_setting(
            "{who} has “Enable Alt field” and “Alt field required” ticked in the field settings.", "required"
        ),
    ),
    _r(
        r"^description(?: field)? enabled$",
        _field_setting("{who} has “Enable Description field” ticked in the field settings."),
    ),
    _r(
        r"^max(?:imum)? (?:upload |file )?size (?:of )?(?P<n>\d+(?:\.\d+)?)\s*(?P<u>kb|mb|gb)$",
        lambda m, ctx: Hit(
            "limit",
            f"{ctx.who} refuses files over {m.group('n')} {m.group('u').upper()}: Maximum "
            f"upload size “{m.group('n')} {m.group('u').upper()}” in the field settings.",
        ),
    ),
    _r(
        r"^(?:file )?directory\s*\(?(?P<d>\[[^\s]+\])\)?$",
        _field_setting("{who} stores uploads in the File directory “{d}” (field settings)."),
    ),
    _r(r"^allowed (?:file )?(?:types|formats|extensions)\s*(?::|\()\s*(?P<ext>[a-z0-9 ,.]+?)\)?$", _file_ext),
    _r(rf"^max(?:imum)?(?: of)? {_NUM}$", _max),
    _r(
        r"^(?:only|on) (?P<x>[\w &'-]+?) (?:allowed|enabled)$",
        _field_setting(
            "{who} allows only the paragraph type the note names (“{x}”): exactly one type is ticked "
            "under Reference type in the field settings."
        ),
    ),
    _r(
        r"^preview(?: view)? mode is (?P<m>[\w ]+)$",
        _field_setting(
            "{who}’s form widget uses the “{m}” view mode for previews (Preview view mode, Manage form "
            "display)."
        ),
    ),
    _r(
        r"^(?P<n>\d+) nesting levels?$|^nesting level is (?P<n2>\d+)$",
        lambda m, ctx: Hit(
            "limit",
            f"{ctx.who}’s form widget has Maximum nesting depth "
            f"{m.group('n') or m.group('n2')} (Manage form display), so layouts cannot be "
            "nested inside layouts.",
        ),
    ),
    _r(
        r"^require paragraphs to be added in(?:side)? a layout$",
        _field_setting(
            "{who}’s form widget has “Require paragraphs to be added inside a layout” ticked (Manage "
            "form display)."
        ),
    ),
    _r(r"^allow(?:ed|s)? in (?:the )?(?P<m>[\w ]+?) menu$", _menu),
    _r(
        r"^allows? promotion$",
        _field_setting(
            "The “Promoted to front page” option is on the {item} add/edit "
            "form (Promotion options; the promote field is enabled in Manage "
            "form display)."
        ),
    ),
    _r(
        r"^no fields (?:needed|required)(?: for this bundle)?$",
        _field_setting("{item} has no fields of its own: its Manage fields page lists none."),
    ),
    _r(
        r"^set as (?:the )?metatag (?P<tag>abstract|description|title|keywords)$",
        _metatag(
            '{where} set {tag} to {who}’s token ({token}), so a page’s <meta name="{tag}"> carries its value.'
        ),
    ),
    _r(
        r"^use custom metatag setup to include (?P<src>\w+) instead of (?P<dst>\w+)$",
        _metatag(
            "{where} take the description from {who}’s token ({token}) instead of {dst}, so a page’s "
            '<meta name="description"> carries the {src} text.'
        ),
    ),
    _r(
        r"^update metatags to use this image$",
        _metatag(
            "{where} use {who} for the social share image (og:image), so a page’s source carries that "
            "image’s URL."
        ),
    ),
    _r(
        r"^(?:note:\s*)?will need to add (?:the )?svg image module$",
        lambda m, ctx: Hit(
            "other",
            "The SVG Image module (svg_image) is enabled (drush pm:list --status=enabled), "
            f"so {ctx.who} accepts svg uploads.",
            module="svg_image",
        ),
    ),
    # Display: sizes, image styles, view modes and formatters belong to the display ticket.
    _r(
        r"\brender(?:ed)? (?:as|at)\b|\brender (?:\d|correct|according)|\bview modes?\b|\bimage style\b"
        r"|\b\d+\s*[x×]\s*\d+\b|\bteaser\b|\bthumbnail view\b|\bfield label\b|\bmarker info window\b|\bmap type\b",
        _display,
        _ANY,
    ),
    # Other sheets.
    _r(
        r"^focal point scale and crop (?:to )?(?P<w>\d+)\s*x\s*(?P<h>\d+)$",
        _image_effect("“Focal Point Scale and Crop” {w}×{h}", "focal_point"),
        frozenset({"image_style"}),
    ),
    _r(
        r"^scale and crop (?:to )?(?P<w>\d+)\s*x\s*(?P<h>\d+)(?:px)?$",
        _image_effect("“Scale and crop” {w}×{h}"),
        frozenset({"image_style"}),
    ),
    _r(
        r"^scale (?:w(?:id|di)th(?:/height| and height)? )?(?:to )?(?P<w>\d+)(?:\s*x\s*(?P<h>\d+))?"
        r"(?P<up> upscaling allowed)?$",
        _image_effect("“Scale” {w}×{h}{up}"),
        frozenset({"image_style"}),
    ),
    _r(
        r"^upscaling allowed$",
        _image_effect("“Scale” with “Allow Upscale” ticked"),
        frozenset({"image_style"}),
    ),
    _r(
        r"^image style quality (?P<q>\d+)%$",
        _image_effect("“Image Style Quality” {q}%", "image_style_quality"),
        frozenset({"image_style"}),
    ),
    _r(r"^convert to webp$", _image_effect("“Convert” with extension webp"), frozenset({"image_style"})),
    _r(
        r"^no focal point$",
        lambda m, ctx: Hit("limit", f"{ctx.subject} has no Focal Point effect."),
        frozenset({"image_style"}),
    ),
    _r(
        r"^no webp$",
        lambda m, ctx: Hit(
            "limit", f"{ctx.subject} has no Convert effect: derivatives keep the source format."
        ),
        frozenset({"image_style"}),
    ),  # fmt: skip
    _r(rf"^(?:limit(?:ed)? to|max(?:imum)? of) {_NUM}\b.*$", _max, frozenset({"view"})),
    _r(
        r"^(?:uses|renders?|render as|shows) (?:the )?(?P<vm>teaser|card|thumbnail)(?: view mode)?$",
        _view("{s} renders its rows in the “{vm}” view mode"),
        frozenset({"view"}),
    ),
)


def apply(rules: tuple[MatchRule, ...], p: str, ctx: Context) -> Hit | None:
    for rx, build, scope in rules:
        if (scope is None or ctx.etype in scope) and (m := rx.search(p)):
            return build(m, ctx)
    return None
