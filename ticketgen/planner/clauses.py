"""Spec notes cut into clauses, each classified into a checkable criterion, a pointer, or a named question.

A note cell mixes requirements ("Limited HTML allowed, no summary"), access rules ("Only site admins can
…"), display wishes ("Render as 730x840") and open questions. Each clause becomes one `Clause` whose criterion
names the expected value in Drupal's own words, so QA can tick it off in the admin UI or with drush; a clause
no rule understands is still kept, and its criterion quotes it and says where to look.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import unescape

from ticketgen.planner._clause_patterns import (
    AUTO_RULES,
    SEGMENT_RULES,
    SENTENCE_RULES,
    Context,
    Hit,
    apply,
    cap,
    context,
    display,
    fallback,
    guidance,
    help_text,
    listing,
    q,
    said,
    tentative,
)
from ticketgen.planner._utils import singular

__all__ = ["KINDS", "Clause", "classify", "role_aliases"]

# limit: any configuration value a clause fixes (allowed values, formats, link types, widget settings, menus).
KINDS = (
    "permission",
    "default",
    "hidden",
    "required",
    "limit",
    "conditional",
    "auto_label",
    "display",
    "other",
)


@dataclass(frozen=True, slots=True)
class Clause:
    kind: str  # one of KINDS
    text: str  # verbatim from the cell
    criterion: str  # display: a pointer to the display ticket; other: what to check, quoting the clause
    roles: tuple[str, ...] = ()
    persona: str = ""
    module: str = ""
    grants: tuple[tuple[str, tuple[str, ...]], ...] = ()


def classify(
    text: str,
    *,
    subject: str,
    roles: Mapping[str, str],
    field: str = "",
    help: bool = False,
    field_type: str = "",
    role_notes: Mapping[str, str] | None = None,
    bundle: str = "",
) -> list[Clause]:
    """`subject` names the bundle ("the Job content type"), role, workflow, view display or image style the
    note is on; `field` the field ("Apply By (field_apply_by)") when it is a field's note; `help` marks help
    text, whose sentences are checked as the editor-facing text unless they state behaviour."""
    frozen_notes = tuple((role_notes or {}).items())
    return list(_classify(text, subject, tuple(roles.items()), field, help, field_type, frozen_notes, bundle))


Frozen = tuple[tuple[str, str], ...]  # a mapping's items, so a classification can be remembered by value


@lru_cache(maxsize=16384)  # a 10x spec's notes still fit
def _classify(
    text: str,
    subject: str,
    roles: Frozen,
    field: str,
    help: bool,
    field_type: str,
    role_notes: Frozen,
    bundle: str,
) -> tuple[Clause, ...]:
    """Pure in the note and the roles it may name, compared by value: a spec read again (the same upload
    checked, reviewed and drafted; a re-upload with a few cells changed) classifies only the notes that are new."""
    ctx = context(subject, dict(roles), field, help, field_type, dict(role_notes), bundle)
    found: list[tuple[int, int, Hit]] = []
    for sentence in _layout(text):
        for piece in _sentence(text, sentence, ctx):
            if found and piece[2].guide and found[-1][2].guide:
                first = found.pop()[0]
                piece = (first, piece[1], help_text(plain(text[first : piece[1]]), ctx))
            found.append(piece)
    if help:  # editors read the help text whole, its "WARNING:" too
        found = [(s, e, help_text(as_shown(text[s:e]), ctx) if hit.guide else hit) for s, e, hit in found]
    if held := next((text[s:e] for s, e, _ in found if HELD_TO_THE_END.search(text[s:e])), ""):
        found = [(s, e, _held(text[s:e], held, hit, ctx)) for s, e, hit in found]
    return tuple(_clause(text, s, e, hit) for s, e, hit in found)


# "NOTE: May not do this—hold until very end": the rest of the note is deliberately left for later, so it is
# neither built here nor a decision that holds this ticket up
HELD_TO_THE_END = re.compile(r"\bhold (?:it |this |off )?(?:until|till|to) (?:the )?(?:very )?end\b", re.I)


def _held(piece: str, held: str, hit: Hit, ctx: Context) -> Hit:
    if piece == held:
        return Hit("other", f"Context for {ctx.who}, nothing separate to build or check: {said(piece)}.")
    if hit.kind not in {"other", "display"}:
        return hit  # permissions and settings in the same note are still this ticket's
    return Hit("other", f"Not in this ticket: “{' '.join(piece.split()).rstrip('. ')}” "
                        f"is held until the end of the build (“{' '.join(held.split()).rstrip('. ')}”); a follow-up "
                        "ticket does it if it is still wanted.")  # fmt: skip


_LIBRARY_ONLY = re.compile(r"\blibrary content\b", re.I)
_SCOPED = re.compile(
    r"\bwithin (?:their|its|the user'?s) (?:section|domain|department|college|area)s?\b", re.I
)


def role_baseline(
    *,
    subject: str,
    roles: Mapping[str, str],
    role_notes: Mapping[str, str],
    bundle: str,
    workflow: tuple[str, set[str]] | None = None,
) -> list[Clause]:
    """A content type whose notes say nothing about access still needs its create, edit and delete
    permissions given out: the roles sheet says what each role may do with content in general ("Access to
    all content", "Create and edit content … but can't delete", "library content" only). One clause per role,
    each checkable on its own."""
    ctx = context(subject, roles, "", False, "", role_notes, bundle)
    if ctx.etype != "node":
        return []
    library = "library" in ctx.label.casefold()
    found: list[Clause] = []
    shut: list[str] = []  # roles the bundle's workflow gives no transition: they could not save a draft
    for mn in editorial(roles):
        note = " ".join((role_notes.get(mn) or "").split())
        ops = content_ops(note, library=library)
        if ops is None:
            continue
        if workflow is not None and mn not in workflow[1]:
            shut.append(role_named(mn, roles))
            continue
        if not ops:
            continue
        titles = _titles(ops, ctx)
        withheld = [op for op in ("create", "edit", "delete") if op not in ops]
        but = (
            f" but not the {listing(withheld, 'or')} permission{'s' if len(withheld) > 1 else ''}"
            if withheld
            else ""
        )
        statements = [f"The notes of {subject} say nothing about access, so its row of the roles sheet decides "
                      f"({said(note)}): {role_named(mn, roles)} holds {_perm_words(titles, ctx, ops)}{but}."]  # fmt: skip
        if _SCOPED.search(note):
            statements.append("Core permissions cannot limit that to the role's own section or domain: the module "
                              "that does is the open question at the top.")  # fmt: skip
        grants: Granted = [(mn, tuple(titles))]
        if overview := _overview(grants, ctx):
            statement, grants = overview
            statements.append(statement)
        criterion = " ".join(statements) + " Check on /admin/people/permissions."
        found.append(Clause("permission", "", criterion, (mn,), "", "", tuple(grants)))
    given = {c.roles[0] for c in found}
    left = [mn for mn in editorial(roles) if mn not in given and role_named(mn, roles) not in shut]
    # a role that may move this content through its workflow yet may not edit it: Content Moderation lets only
    # an editor change an item's state, so whether it gets edit access is the open question, not a silent no
    movers = [role_named(mn, roles) for mn in left if workflow is not None and mn in workflow[1]]
    others = [role_named(mn, roles) for mn in left if role_named(mn, roles) not in movers]
    if found and (others or shut or movers):
        why = (
            [f"{listing(others)}: their rows of the roles sheet give them no content editing here"]
            if others
            else []
        )
        if movers:
            why.append(f"{listing(movers)}: {'it' if len(movers) == 1 else 'they'} may use the {workflow[0]} "  # type: ignore[index]
                       "workflow's transitions but not edit, and Content Moderation lets only a user who may edit "
                       "an item change its state; the open question at the top settles whether "
                       f"{'it gets' if len(movers) == 1 else 'they get'} “Edit any content” here")  # fmt: skip
        if shut and workflow is not None:
            why.append(f"{listing(shut)}: the {workflow[0]} workflow that moderates it gives them none of its "
                       "transitions, so they could not save a draft; the open question at the top asks whether "
                       "they get them")  # fmt: skip
        nobody = (
            f"No other editorial role holds a permission on {subject} ({'; '.join(why)}). Check on "
            "/admin/people/permissions."
        )
        found.append(Clause("permission", "", nobody))
    return found


def existing_content_grants(note: str, content_types: list[str]) -> list[str]:
    """What a new role's own row gives it on the content types already on the site, which no ticket builds, so
    the role's ticket grants them: "Access to all content" → create, edit any and delete any on each."""
    ops = content_ops(" ".join(note.split()), library=False) or []
    return [f"{label}: {_BUNDLE_PERMS['node'][op]}" for label in content_types for op in ops]


def content_ops(note: str, *, library: bool) -> list[str] | None:
    """The create / edit / delete a role's row gives it on content in general; None where the row does not
    speak of this content at all (no "content", or "library content" only and this is not a library type)."""
    if "content" not in note.casefold() or (_LIBRARY_ONLY.search(note) and not library):
        return None
    allowed, _ = role_grants(note)
    return [op for op in ("create", "edit", "delete") if op in allowed]


def help_text_criterion(text: str, *, subject: str, field: str) -> str:
    """The whole help text as the editor reads it under the field, for a cell that also states behaviour."""
    return cap(help_text(as_shown(text), context(subject, {}, field, True)).criterion)


def role_aliases(roles_rows: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Every way a note names a role → its machine name. The verbatim label comes first for each role, so the
    first key of a machine name is the label a criterion shows."""
    aliases: dict[str, str] = {}
    for label, mn in roles_rows:
        label, mn = " ".join((label or "").split()), (mn or "").strip()
        if not mn:
            continue
        aliases.setdefault(label or mn, mn)
        forms = {label.casefold(), mn.replace("_", " ").casefold()} - {""}
        forms |= {plural(f) for f in forms}
        forms |= set(CORE_SYNONYMS.get(mn, ()))
        for form in sorted(forms):
            for key in (form, f"{form} role", f"{form} roles"):
                aliases.setdefault(key, mn)
        aliases.setdefault(mn, mn)
    return aliases


# -------------------------------------------------------------------------------------------- splitting

_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "vs.", "approx.", "no.", "incl."})
_CLOSES_SENTENCE = frozenset({"etc."})  # … unless a capital follows
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s)|\)(?=\s+[A-Z])|(?i:<\s*/?\s*br\s*/?\s*>)")
_DASH = re.compile(r"\s+(?:-|--|–|—)\s+")
_COMMA = re.compile(r",\s+")
_TAGS = re.compile(r"<[^>]*>")


def _bracketed(text: str) -> list[bool] | None:
    """True inside matched parentheses; an unmatched "(" protects nothing (spec cells often leave one open)."""
    if "(" not in text:
        return None
    inside = [False] * len(text)
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            start = stack.pop()
            if not stack:
                inside[start + 1 : i] = [True] * (i - start - 1)
    return inside


def _cuts(
    text: str, start: int, end: int, rx: re.Pattern[str], inside: list[bool] | None, *, keep: bool
) -> list[tuple[int, int]]:
    """Spans of text[start:end] between top-level separators; `keep` leaves the separator on the left span."""
    spans: list[tuple[int, int]] = []
    at = start
    for m in rx.finditer(text, start, end):
        if (inside and inside[m.start()]) or (keep and _abbreviation(text, m.end())):
            continue
        cut = m.end() if keep else m.start()
        if text[at:cut].strip():
            spans.append((at, cut))
        at = m.end()
    if text[at:end].strip():
        spans.append((at, end))
    return spans


def _abbreviation(text: str, end: int) -> bool:
    word = text[:end].rsplit(None, 1)[-1].casefold() if text[:end].strip() else ""
    if word in _CLOSES_SENTENCE:
        return not text[end:].lstrip()[:1].isupper()
    return word in _ABBREVIATIONS


def _sentences(text: str, inside: list[bool] | None) -> list[tuple[int, int]]:
    return [_trim(text, s, e) for s, e in _cuts(text, 0, len(text), _SENTENCE_END, inside, keep=True)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_LABEL = re.compile(r"^(?:note|warning)\s*:\s*", re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z-]*")
_PARTS = re.compile(r",\s*|;\s*|\bbut\b")


def as_shown(text: str) -> str:
    """A cell as the page shows it: no tags or entities, one space, no closing stop; labels kept."""
    return " ".join(unescape(_TAGS.sub(" ", text)).split()).strip().rstrip(".;,").strip()


@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """What the rules read: no tags or entities, one space, no wrapping brackets, labels or closing stop."""
    flat = " ".join(unescape(_TAGS.sub(" ", text)).split())
    flat = _LABEL.sub("", flat)
    if flat.startswith("(") and flat.endswith(")") and flat.count("(") == 1:
        flat = flat[1:-1]
    return flat.strip().rstrip(".;,:").strip()


# ------------------------------------------------------------------------------------------------ roles

CORE_ROLES = frozenset({"anonymous", "authenticated", "administrator"})
CORE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "anonymous": ("anonymous", "anonymous users", "anonymous visitors"),
    "authenticated": ("logged in users", "logged-in users", "authenticated users"),
}


def plural(phrase: str) -> str:
    head, _, last = phrase.rpartition(" ")
    last = (
        last[:-1] + "ies"
        if last.endswith("y") and last[-2:-1] not in "aeiou"
        else last
        if last.endswith("s")
        else last + "s"
    )
    return f"{head} {last}".strip()


_HEAD = re.compile(r"\b(admins?|administrators?|editors?|managers?|users?)\b")
_FUNCTION = frozenset(
    {"only", "and", "or", "the", "all", "by", "for", "to", "except", "can", "but", "from", "of", "a", "an", "any",
     "other", "non", "actual", "if", "possible", "directly", "in", "would", "be", "are", "is", "ideally"}
)  # fmt: skip
_ALL = re.compile(r"\ball(?:\s+roles)?(?=\s+(?:can|edit|except|delete))|\bprevent all\b|\ball except\b")


@dataclass(frozen=True, slots=True, eq=False)
class RoleIndex:
    lowered: dict[str, str]  # alias, casefolded -> machine name
    names: dict[str, str]  # machine name -> label a criterion shows
    aliases: re.Pattern[str]
    editorial: tuple[str, ...]  # roles a spec hands out, in sheet order (not the three core ones)


_last: list[tuple[Mapping[str, str], int, Frozen, RoleIndex]] = []


def role_index(roles: Mapping[str, str]) -> RoleIndex:
    """Built once per roles map: the planner passes the same map for every note of a spec. Another map with
    the same items in the same order (a classification brings its own copy) reuses it too."""
    if _last and _last[0][0] is roles and _last[0][1] == len(roles):
        return _last[0][3]
    items = tuple(roles.items())
    if _last and _last[0][2] == items:
        _last[:] = [(roles, len(roles), items, _last[0][3])]
        return _last[0][3]
    names: dict[str, str] = {}
    for key, mn in roles.items():
        names.setdefault(mn, key)  # role_aliases puts the verbatim label first
    lowered = {k.casefold(): mn for k, mn in roles.items()}
    keys = sorted(lowered, key=len, reverse=True)
    aliases = re.compile(r"\b(?:" + "|".join(map(re.escape, keys)) + r")\b") if keys else re.compile("(?!)")
    index = RoleIndex(lowered, names, aliases, tuple(mn for mn in names if mn not in CORE_ROLES))
    _last[:] = [(roles, len(roles), items, index)]
    return index


def role_named(mn: str, roles: Mapping[str, str]) -> str:
    return f"{role_index(roles).names.get(mn, mn.replace('_', ' ').title())} ({mn})"


def editorial(roles: Mapping[str, str]) -> list[str]:
    return list(role_index(roles).editorial)


@dataclass(frozen=True, slots=True)
class Mentions:
    known: tuple[str, ...]
    unknown: tuple[str, ...]
    excepted: tuple[str, ...]
    everyone: bool


def mentions(cf: str, roles: Mapping[str, str]) -> Mentions:
    """Roles a clause names: alias matches first, then role-like nouns ("content editors") it does not know."""
    return _mentions(cf, role_index(roles))


@lru_cache(maxsize=2048)
def _mentions(cf: str, index: RoleIndex) -> Mentions:
    lowered = index.lowered
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    unknown: list[str] = []
    for m in index.aliases.finditer(cf):
        before = _WORD.findall(cf[max(0, m.start() - 30) : m.start()])[-1:]
        if " " not in m.group(0) and before and before[0] not in _FUNCTION:
            continue  # "market editors", "content editors": a longer name the head-noun scan reads whole
        found.append((m.start(), lowered[m.group(0)]))
        taken.append(m.span())
    for m in _HEAD.finditer(cf):
        if any(a <= m.start() < b for a, b in taken):
            continue
        mods: list[str] = []
        for word in reversed(_WORD.findall(cf[max(0, m.start() - 40) : m.start()])[-2:]):
            if word in _FUNCTION:
                break
            mods.insert(0, word)
        if mn := _fuzzy(mods, m.group(1), lowered) if mods else None:
            found.append((m.start(), mn))
        else:
            unknown.append(" ".join([*mods, m.group(1)]))
    except_at = cf.find("except")
    known = list(dict.fromkeys(mn for _, mn in sorted(found)))
    excepted = [mn for at, mn in found if 0 <= except_at < at and "prevent" not in cf]
    return Mentions(tuple(known), tuple(unknown), tuple(excepted), bool(_ALL.search(cf)))


def _fuzzy(mods: list[str], head: str, lowered: Mapping[str, str]) -> str | None:
    """ "Market editors" is the Marketing Editor role: each modifier starts a word of the role's label."""
    for key, mn in lowered.items():
        words = key.split()
        same_head = len(words) == len(mods) + 1 and singular(words[-1]) == singular(head)
        if same_head and all(len(w) >= 4 and k.startswith(w) for k, w in zip(words, mods, strict=False)):
            return mn
    return None


def persona_of(found: Mentions, roles: Mapping[str, str]) -> str:
    names = role_index(roles).names
    for mn in found.known:
        if mn not in CORE_ROLES:
            return names.get(mn, mn.replace("_", " ")).casefold()
    if found.unknown and singular(found.unknown[0].casefold()) in {"admin", "administrator"}:
        return "site admin"  # whichever admin role is meant, the story's user administers the site
    if found.unknown and " " in found.unknown[0]:  # "content editors"; a bare "admins" names nobody yet
        *mods, head = found.unknown[0].split()
        return " ".join([*mods, singular(head)])
    return ""


# ---------------------------------------------------------------------------------------- permissions

_BUNDLE_PERMS: dict[str, dict[str, str]] = {
    "node": {"create": "Create new content", "edit": "Edit any content", "delete": "Delete any content"},
    "media": {"create": "Create new media", "edit": "Edit any media", "delete": "Delete any media"},
    "taxonomy_term": {"create": "Create terms", "edit": "Edit terms", "delete": "Delete terms"},
    "block_content": {  # the Drupal 10.1+ titles ("content block"), as the permissions page shows them
        "create": "Create new content block",
        "edit": "Edit content block",
        "delete": "Delete content block",
    },
    "paragraph": {
        "create": "Create content",
        "edit": "Edit content",
        "delete": "Delete content",
        "view": "View content",
    },
}
_OWN_VARIANTS = frozenset({"node", "media"})
_OPS = (
    ("create", re.compile(r"\b(?:add|adds|added|create|creates|created)\b")),
    ("edit", re.compile(r"\b(?:edit|edits|edited|editable|update|modify|change)\b")),
    ("delete", re.compile(r"\b(?:delete|deletes|deleted|remove|removes|removed)\b")),
    ("all", re.compile(r"\b(?:access|accessing|use|uses|manage)\b")),
)
_ONLY = re.compile(r"\bonly\b|\b(?:added|created|edited) by\b")
_PERM_CUE = re.compile(
    r"\b(?:only|can|cannot|can't|access\w*|permissions?|editable|prevent|restrict\w*|(?:added|created|edited) by)\b"
)
_ANON = re.compile(
    r"\bnot (?:shown|visible|accessible|available) to anonymous|\brestrict\w* access to logged[- ]in"
    r"|\bonly (?:visible|shown) to logged[- ]in|\bhidden from anonymous"
)
_NO_ACCESS = re.compile(r"\bno access permissions\b")


def _ops(cf: str) -> list[str]:
    found = [op for op, rx in _OPS if rx.search(cf)]
    if "all" in found or not found:
        return ["create", "edit", "delete"]
    return found


def _titles(ops: list[str], ctx: Context) -> list[str]:
    if ctx.etype == "workflow":
        return [f"{ctx.label} workflow: Use {ctx.field} transition."] if ctx.field else []
    if ctx.field:
        fn = ctx.field_name or f"<machine name of {ctx.field}>"
        titles = {
            "create": [f"Create own value for field {fn}"],
            "view": [f"View anyone's value for field {fn}"],
        }
        edit = [f"Edit own value for field {fn}", f"Edit anyone's value for field {fn}"]
        if "edit" in ops and "create" not in ops:  # with custom permissions, nobody may set it on a new item
            ops = ["create", *ops]
        return [t for op in ops for t in titles.get(op, edit if op in {"edit", "delete"} else [])]
    perms = _BUNDLE_PERMS.get(ctx.etype, {})
    return [f"{ctx.label}: {perms[op]}" for op in ops if op in perms]


def _perm_words(titles: list[str], ctx: Context, ops: list[str], conj: str = "and") -> str:
    if titles:
        return listing([q(t) for t in dict.fromkeys(titles)], conj)
    what = ctx.subject if ctx.etype != "workflow" else f"the {ctx.label} workflow's transitions"
    return f"the {listing(ops, 'and')} permissions for {what}"


def _who(mns: list[str], unknown: list[str], ctx: Context) -> str:
    parts = [role_named(mn, ctx.roles) for mn in mns]
    for phrase in unknown:
        head = singular(phrase.split()[-1]).removesuffix("istrator")
        candidates = [role_named(mn, ctx.roles) for mn, name in role_index(ctx.roles).names.items()
                      if head in name.casefold() and mn not in mns]  # fmt: skip
        ask = f"confirm whether {listing(candidates, 'or')} is meant" if candidates else "confirm which role"
        parts.append(f"the role the note calls {q(phrase)} (not in the roles sheet: {ask})")
    return listing(parts)


def _holds(count: int) -> str:
    return "holds" if count == 1 else "hold"


@lru_cache(maxsize=4096)
def _access_flags(cf: str) -> tuple[bool, bool, bool]:
    return bool(_ANON.search(cf)), bool(_NO_ACCESS.search(cf)), bool(_PERM_CUE.search(cf))


def permission(p: str, ctx: Context) -> Hit | None:
    cf = p.casefold()
    if ctx.etype == "role":
        return _role_note(p, ctx)
    anonymous, no_access, cue = _access_flags(cf)
    if anonymous:
        return _anonymous(p, ctx)
    if no_access:
        return _no_access(ctx)
    if not cue:
        return None
    found = mentions(cf, ctx.roles)
    if not (found.known or found.unknown or found.everyone):
        return None
    statements: list[str] = []
    grants: list[tuple[str, tuple[str, ...]]] = []
    last: Mentions | None = None
    for part in _PARTS.split(cf):
        part_found = mentions(part, ctx.roles)
        if not (part_found.known or part_found.unknown or part_found.everyone):
            if last is None or not any(rx.search(part) for _, rx in _OPS):
                continue
            part_found = last
        statement, granted = _statement(part, part_found, ctx, only=bool(_ONLY.search(cf)))
        statements.append(statement)
        grants += granted
        last = part_found
    field_level = bool(ctx.field) and ctx.etype not in {"workflow", "role"}
    if not field_level and (overview := _overview(grants, ctx)):
        statement, grants = overview
        statements.append(statement)
    if ctx.etype == "media" and "upload" in cf:
        statements.append(
            f"Logged in with another editorial role, the media library offers no upload form for {ctx.label}."
        )
    criterion = " ".join(statements) + " Check on /admin/people/permissions."
    if field_level:
        criterion = (
            f"{ctx.who} is restricted with the Field Permissions module: “Custom permissions” is selected in "
            f"its field storage settings, so the restriction holds on every bundle that uses "
            f"{ctx.field_name or 'the field'}, and {criterion[0].lower()}{criterion[1:]} A user without them cannot "
            f"change the field on {ctx.form}."
        )
    module = (
        "field_permissions"
        if field_level
        else "paragraphs_type_permissions"
        if ctx.etype == "paragraph"
        else ""
    )
    roles = tuple(dict.fromkeys([*found.known, *(mn for mn, _ in grants)]))
    return Hit(
        "permission",
        criterion,
        roles,
        persona_of(found, ctx.roles),
        module,
        grants=tuple(grants),
    )


Granted = list[tuple[str, tuple[str, ...]]]

# Editing rights alone do not open the admin list the editor starts from: core gates it separately.
_OVERVIEW: dict[str, tuple[str, str]] = {
    "taxonomy_term": (
        "Access the taxonomy vocabulary overview page",
        "/admin/structure/taxonomy/manage/{b}/overview",
    ),
    "node": ("Access the Content overview page", "/admin/content"),
    "media": ("Access the Media overview page", "/admin/content/media"),
    "block_content": ("Access the Content blocks overview page", "/admin/content/block"),
}


def _overview(grants: Granted, ctx: Context) -> tuple[str, Granted] | None:
    title, page = _OVERVIEW.get(ctx.etype, ("", ""))
    edit_or_delete = {_BUNDLE_PERMS[ctx.etype][op] for op in ("edit", "delete")} if title else set()
    roles = [mn for mn, titles in grants if any(t.split(": ", 1)[-1] in edit_or_delete for t in titles)]
    if not roles:
        return None
    who = listing([role_named(mn, ctx.roles) for mn in dict.fromkeys(roles)])
    listed = page.format(b=ctx.bundle or "<vocabulary>")
    statement = (
        f"{cap(who)} also {_holds(len(set(roles)))} {q(title)}, so the list at {listed} opens for them."
    )
    return statement, [(mn, (*titles, title) if mn in roles else titles) for mn, titles in grants]


_ACCESSING = re.compile(r"\baccess(?:ing)?\b")


def _statement(part: str, found: Mentions, ctx: Context, *, only: bool) -> tuple[str, Granted]:
    ops = _ops(part)
    if ctx.field and _ACCESSING.search(
        part
    ):  # accessing a field's value is seeing it too (Field Permissions' view)
        ops = [*ops, "view"]
    titles = _titles(ops, ctx)
    perms = _perm_words(titles, ctx, ops)
    named = [mn for mn in found.known if mn not in found.excepted]
    others = [role_named(mn, ctx.roles) for mn in editorial(ctx.roles) if mn not in named]
    nor_own = ", nor their “own” variants" if ctx.etype in _OWN_VARIANTS and not ctx.field else ""
    if found.everyone and found.excepted and "prevent" not in part:
        ex = _who(found.excepted, [], ctx)
        given = (
            [(mn, tuple(titles)) for mn in editorial(ctx.roles) if mn not in found.excepted] if titles else []
        )
        rest = listing([role_named(mn, ctx.roles) for mn in editorial(ctx.roles) if mn not in found.excepted])
        return f"Every editorial role except {ex} ({rest}) holds {perms}; {ex} does not.", given
    plain_grant = titles and ctx.etype != "workflow" and not ctx.field
    if (
        found.everyone
        and not named
        and not found.unknown
        and plain_grant
        and (clash := role_note_clash(editorial(ctx.roles), ops, ctx.role_notes, ctx.label))
        and (clash.excluded or clash.doubted)
    ):
        return _every_role_but(ops, ctx, clash)
    if found.everyone and not named and not found.unknown:
        every = listing([role_named(mn, ctx.roles) for mn in editorial(ctx.roles)])
        given = [(mn, tuple(titles)) for mn in editorial(ctx.roles)] if titles else []
        return (f"Every editorial role ({every}) holds {perms}." if every else f"Every editorial role holds {perms}."), given  # fmt: skip
    who = _who(named, found.unknown, ctx)
    count = len(named) + len(found.unknown)
    if found.unknown:
        tail = f"; no other editorial role does{nor_own}."  # which roles are "other" waits on the answer
    elif others:
        tail = f"; no other editorial role ({listing(others)}) does{nor_own}."
    else:
        tail = "; no other role does."
    stated = any(rx.search(part) for _, rx in _OPS)
    if count > 1 and not stated and ctx.etype != "workflow" and not found.unknown and titles:
        # "Market editors and site admins only" says who, not what: each role gets what its own notes allow.
        return _split_by_role_notes(named, ops, ctx, nor_own, others)
    granted = [(mn, tuple(titles)) for mn in named] if titles else []
    if only or found.everyone or ctx.etype == "workflow":
        return f"Only {who} {_holds(count)} {perms}{tail}", granted
    return f"{cap(who)} {_holds(count)} {perms}.", granted


_KEPT_TO = re.compile(r"\b(?:cannot|can't|can not|nor|not)\s+work with non-(?P<what>\w+) content\b", re.I)


@dataclass(frozen=True, slots=True)
class RoleNoteClash:
    """What "all can delete and edit" meets in the roles' own notes: roles kept to other content ("nor work
    with non-library content") are left out; a role whose note refuses an operation in general ("can't
    delete") gets what the bundle's own note gives, and the review asks which statement wins."""

    excluded: dict[str, list[str]]
    doubted: dict[str, list[str]]


def role_note_clash(
    roles: list[str], ops: list[str], role_notes: Mapping[str, str], label: str
) -> RoleNoteClash:
    excluded: dict[str, list[str]] = {}
    doubted: dict[str, list[str]] = {}
    for mn in roles:
        note = " ".join((role_notes.get(mn) or "").split())
        kept_to = _KEPT_TO.search(note)
        if kept_to and kept_to["what"].casefold() not in label.casefold():
            excluded[mn] = list(ops)
        elif withheld := [op for op in ops if op in role_grants(note)[1]]:
            doubted[mn] = withheld
    return RoleNoteClash(excluded, doubted)


def everyone_ops(note: str, roles: Mapping[str, str]) -> list[str]:
    """The operations a note gives every editorial role ("all can delete and edit" → edit, delete)."""
    cf = " ".join(note.split()).casefold()
    found: list[str] = []
    for part in _PARTS.split(cf):
        m = mentions(part, roles)
        if m.everyone and not m.excepted and not m.unknown and not m.known:
            found += [op for op in _ops(part) if op not in found]
    return found


def _every_role_but(ops: list[str], ctx: Context, clash: RoleNoteClash) -> tuple[str, Granted]:
    roles = editorial(ctx.roles)
    granted: Granted = []
    for mn in roles:
        given = [op for op in ops if op not in clash.excluded.get(mn, [])]
        if titles := _titles(given, ctx):
            granted.append((mn, tuple(titles)))
    given_to = [role_named(mn, ctx.roles) for mn in roles if mn not in clash.excluded]
    perms = _perm_words(_titles(ops, ctx), ctx, ops)
    parts = [
        f"{'Every editorial role' if not clash.excluded else listing(given_to)} "
        f"{'(' + listing(given_to) + ') holds' if not clash.excluded else _holds(len(given_to))} {perms}"
    ]
    parts += [
        f"{role_named(mn, ctx.roles)} holds neither (its role note: {said(' '.join(ctx.role_notes[mn].split()))})"
        for mn in clash.excluded
    ]
    parts += [
        f"{role_named(mn, ctx.roles)}'s {listing(withheld, 'and')} permission{'s' if len(withheld) > 1 else ''} "
        f"{'follow' if len(withheld) > 1 else 'follows'} this note, although its role note says "
        f"{said(' '.join(ctx.role_notes[mn].split()))}: see the open question"
        for mn, withheld in clash.doubted.items()
    ]
    return "; ".join(parts) + ".", granted


def _split_by_role_notes(
    named: list[str], ops: list[str], ctx: Context, nor_own: str, others: list[str]
) -> tuple[str, Granted]:
    parts: list[str] = []
    granted: Granted = []
    for mn in named:
        note = " ".join((ctx.role_notes.get(mn) or "").split())
        allowed, refused = role_grants(note)
        given = [op for op in ops if op in allowed] if allowed or refused else list(ops)
        withheld = [op for op in ops if op not in given]
        titles = _titles(given, ctx)
        granted.append((mn, tuple(titles)))
        held = f"holds {_perm_words(titles, ctx, given)}" if titles else "holds none of them"
        if withheld:
            why = [*(["own or any"] if nor_own else []), *([f"its role note: {said(note)}"] if note else [])]
            held += f" but not the {listing(withheld, 'or')} permission{'s' if len(withheld) > 1 else ''}"
            held += f" ({'; '.join(why)})" if why else ""
        parts.append(f"{role_named(mn, ctx.roles)} {held}")
    rest = f"no other editorial role ({listing(others)})" if others else "no other role"
    every = _perm_words(_titles(ops, ctx), ctx, ops, "or")
    return f"{'; '.join(parts)}; {rest} holds {every}{nor_own}.", granted


_NEGATION = re.compile(r"\b(?:cannot|can't|can not|not|nor|no|never|without)\b")
_EVERYTHING = re.compile(r"\b(?:access to|manage|administer)\b.*\ball\b.*\bcontent\b|\ball content\b")
_ROLE_NOTE_PARTS = re.compile(r"\bbut\b|\bhowever\b|[.;]")


@lru_cache(maxsize=256)
def role_grants(note: str) -> tuple[frozenset[str], frozenset[str]]:
    """What a role's own note gives and refuses in create / edit / delete terms: "Can create library content
    but cannot edit it" → ({create}, {edit}); "Access to all content" → every operation."""
    cf = note.casefold()
    if _EVERYTHING.search(cf) and not _NEGATION.search(cf):
        return frozenset({"create", "edit", "delete"}), frozenset()
    allowed: set[str] = set()
    refused: set[str] = set()
    for part in _ROLE_NOTE_PARTS.split(cf):
        negated = _NEGATION.search(part)
        for op, rx in _OPS[:3]:
            for m in rx.finditer(part):
                (refused if negated and negated.start() < m.start() else allowed).add(op)
    return frozenset(allowed - refused), frozenset(refused)


def _anonymous(p: str, ctx: Context) -> Hit:
    anon = tuple(mn for mn in dict.fromkeys(ctx.roles.values()) if mn == "anonymous")
    url = "at /node/NID" if ctx.etype == "node" else "by its URL"
    how = (
        " (the note asks for a page template: like Rabbit Hole's per-bundle page setting, it hides the page "
        "only; a node access rule would also hide its teasers placed on other pages, which still render for "
        "visitors)"
        if "template" in p.casefold()
        else ": Drupal answers 403 Access denied"
    )
    criterion = (
        f"Logged out, request a published {ctx.item} {url}: the visitor does not see its content{how}. Logged "
        "in with an editorial role, the same URL shows it."
    )
    return Hit("permission", criterion, anon)


def _no_access(ctx: Context) -> Hit:
    perms = _perm_words(_titles(["create", "edit", "delete"], ctx), ctx, ["create", "edit", "delete"], "or")
    every = listing([role_named(mn, ctx.roles) for mn in editorial(ctx.roles)])
    admin = "administrator" if "administrator" in ctx.roles.values() else ""
    who = role_named(admin, ctx.roles) if admin else "administrator"
    criterion = (
        f"No editorial role{f' ({every})' if every else ''} holds {perms} (/admin/people/permissions); only "
        f"{who} users, who have every permission, can manage {ctx.subject}."
    )
    return Hit("permission", criterion, (admin,) if admin else (), "administrator")


def _role_note(p: str, ctx: Context) -> Hit:
    lowered = {k.casefold(): mn for k, mn in ctx.roles.items()}
    own = lowered.get(ctx.label.casefold(), "")
    found = mentions(p.casefold(), ctx.roles)
    roles = tuple(dict.fromkeys([own, *found.known] if own else found.known))
    who = role_named(own, ctx.roles) if own else q(ctx.label)
    criterion = (
        f"A test user with only the {who} role can do exactly this and is refused anything beyond it: {said(p)} "
        "(check the role's column on /admin/people/permissions, then try each allowed and refused action)."
    )
    persona = role_index(ctx.roles).names.get(own, ctx.label).casefold()
    return Hit("permission", criterion, roles, persona)


# ------------------------------------------------------------------------------------------ classifying


Span = tuple[int, int, str]  # start, end, plain text
Sentence = tuple[
    Span, tuple[tuple[Span, tuple[Span, ...]], ...]
]  # the sentence, its dash parts and their pieces


@lru_cache(maxsize=2048)
def _layout(text: str) -> tuple[Sentence, ...]:
    """Where a cell is cut depends on the text alone, and spec cells repeat: cut each distinct text once."""
    inside = _bracketed(text)
    sentences: list[Sentence] = []
    for start, end in _sentences(text, inside):
        parts = []
        for ps, pe in _cuts(text, start, end, _DASH, inside, keep=False):
            pieces = tuple(
                (s, e, plain(text[s:e])) for s, e in _cuts(text, ps, pe, _COMMA, inside, keep=False)
            )
            parts.append(((ps, pe, plain(text[ps:pe])), pieces))
        sentences.append(((start, end, plain(text[start:end])), tuple(parts)))
    return tuple(sentences)


def _sentence(text: str, sentence: Sentence, ctx: Context) -> list[tuple[int, int, Hit]]:
    (start, end, p), parts = sentence
    if not p:
        return [(start, end, fallback(text[start:end].strip(), ctx))]
    if hit := guidance(p, ctx) or apply(SENTENCE_RULES, p, ctx):
        return [(start, end, hit)]
    found: list[tuple[int, int, Hit]] = []
    for (part_start, part_end, part), pieces in parts:
        if hit := apply(SENTENCE_RULES, part, ctx):
            found.append((part_start, part_end, hit))
            continue
        found += [(s, e, _segment(piece, ctx)) for s, e, piece in pieces]
    if all(hit.generic for _, _, hit in found):
        return [(start, end, fallback(p, ctx))]
    return _merge(text, found, ctx)


def _segment(p: str, ctx: Context) -> Hit:
    return apply(AUTO_RULES, p, ctx) or permission(p, ctx) or apply(SEGMENT_RULES, p, ctx) or fallback(p, ctx)


def _merge(text: str, found: list[tuple[int, int, Hit]], ctx: Context) -> list[tuple[int, int, Hit]]:
    """Neighbouring pieces of one requirement become one clause: "Only site admins can create, all can delete"
    and "Render 360x360 if single, 426x426 if detail, no image if combo" each read as a whole; a one- or
    two-word lead-in ("Ideally, …") joins the piece it introduces."""
    merged: list[tuple[int, int, Hit]] = []
    for start, end, hit in found:
        if merged:
            first, _, prev = merged[-1]
            words = len(plain(text[start:end]).split())
            lead_in = len(merged) == 1 and prev.generic and len(plain(text[first:start]).split()) <= 2
            same = hit.kind == prev.kind and hit.kind in {"permission", "display"}
            tail = hit.generic and (prev.generic or (prev.kind in {"display", "permission"} and words <= 5))
            if lead_in or same or tail:
                kind = hit.kind if lead_in else prev.kind
                merged[-1] = (
                    first,
                    end,
                    _rebuild(kind, plain(text[first:end]), ctx, hit if lead_in else prev),
                )
                continue
        merged.append((start, end, hit))
    return merged


def _rebuild(kind: str, p: str, ctx: Context, kept: Hit) -> Hit:
    if kind == "permission":
        return permission(p, ctx) or fallback(p, ctx)
    if kind == "display":
        return display(p, ctx)
    return fallback(p, ctx) if kept.generic else kept


def _clause(text: str, start: int, end: int, hit: Hit) -> Clause:
    raw = text[start:end].strip()
    hit = tentative(plain(raw), hit)
    return Clause(hit.kind, raw, cap(hit.criterion), hit.roles, hit.persona, hit.module, hit.grants)
