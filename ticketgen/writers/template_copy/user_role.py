"""user_role: the role and the access its notes grant, checked with a user holding only that role."""

from __future__ import annotations

import re

from ticketgen.writers.template_copy._utils import (
    Copy,
    Facts,
    article,
    clause_criteria,
    first_sentence,
    listing,
    lower_first,
    named,
    quoted,
)


def write(f: Facts) -> Copy:
    name, mn = f["name"], f["machine_name"]
    access = first_sentence(f.get("permissions", ""))
    story = f"As a site administrator, I want a {name} role so that " + (
        f"people with it get this access: {lower_first(access)}." if access else
        "people with it get exactly the access the spec describes."
    )  # fmt: skip
    criteria = [f"The role {named(name, mn)} exists at /admin/people/roles."]
    if existing := f.get("on_existing"):  # no ticket builds these content types, so this one grants them
        held = "; ".join(f"{_grants(e['titles'])}" for e in existing)
        criteria.append(
            f"On the content types already on the site, {name} holds what its row gives it: {held}, and “Access "
            "the Content overview page”. Check on /admin/people/permissions."
        )
    if granted_in := f.get("granted_in"):
        lead = (
            "This ticket creates the role only: its permissions are granted, and checked, where each is built"
        )
        full = "; ".join(f"“{t['summary']}” ({_grants(t['permissions'])})" for t in granted_in)
        # every ticket is named, so the count agrees with the links; a long list only by title, in parts
        if len(full) < 1000:
            criteria.append(f"{lead}: {full}.")
        else:
            titles = [f"“{t['summary']}”" for t in granted_in if t["permissions"]]
            parts = _parts(titles, 900)
            criteria.append(f"{lead}, in {len(titles)} tickets: {listing(parts[0]) if len(parts) == 1 else ', '.join(parts[0])}"
                            f"{'.' if len(parts) == 1 else ' …'}")  # fmt: skip
            criteria += [
                f"(granting tickets, continued) {', '.join(part) if i < len(parts) - 1 else listing(part)}"
                f"{' …' if i < len(parts) - 1 else '.'}"
                for i, part in enumerate(parts[1:], start=1)
            ]
    if formats := f.get("text_formats"):
        one = len(formats) == 1
        criteria.append(
            f"{name} holds {listing([f'“Use the {x} text format”' for x in formats])} (/admin/people/permissions): "
            f"the formatted fields this spec adds to the content it edits accept {'that format' if one else 'those formats'}, "
            f"so without {'it' if one else 'them'} a user with only {name} could not save that content. Fields "
            "already on the site keep the formats they have; the content types already on the site that the role "
            "edits are checked the same way (open one of each as that user and save it)."
        )
    granted = [
        _once_granted(f, c) if granted_in and c.startswith("A test user") else c
        for c in clause_criteria(f.get("clauses", []))
    ]
    criteria += granted
    if f.get("permissions") and not granted:
        criteria.append(
            f"Log in as a test user holding only {name}: every access above works, and editing or creating "
            "anything else is refused (403 or no link)."
        )
    return story, criteria


_SCOPED = re.compile(r"\b(?:domains?|sections?)\b", re.I)


def _once_granted(f: Facts, criterion: str) -> str:
    """What QA can check once every granting ticket is done: the role holds exactly what they grant, a user
    with only this role can do one of those things and is refused an admin page none of them grants."""
    name, mn = f["name"], f["machine_name"]
    sample = next(
        (g for g in f["granted_in"] if g.get("key", "").startswith("bundle:node.")
         and g["key"] not in f.get("cannot_save", [])
         and any(t.endswith(": Create new content") for t in g["permissions"])),
        None,
    )  # fmt: skip
    can = ""
    if sample:
        bundle = next(t for t in sample["permissions"] if t.endswith(": Create new content")).split(": ")[0]
        edits = any(t.endswith(("Edit any content", "Edit own content")) for t in sample["permissions"])
        can = (
            f"can add {article(bundle)} {bundle} at /node/add/{sample['key'].partition('.')[2]}"
            + ("" if edits else " but finds no Edit tab on it once saved")
            + ", and "
        )
    note = f.get("permissions", "").strip().rstrip(".")
    scoped = (
        f" What “{note}” adds beyond these grants (the {'domain' if 'domain' in note.casefold() else 'section'} "
        "scope) is settled by the open question at the top."
        if note and _SCOPED.search(note)
        else ""
    )
    return (
        f"Once those tickets are done, the column of {named(name, mn)} on /admin/people/permissions holds every "
        f"permission they grant{' and this ticket grants above' if f.get('on_existing') else ''}, and none that "
        "creates, edits, deletes or publishes anything else (admin-UI permissions every editor needs, such as "
        "“Use the toolbar” and “View the administration theme”, may sit beside them; "
        f"drush config:get user.role.{mn} permissions); a test user with "
        f"only {name} {can}gets “Access denied” at /admin/people.{scoped}"
    )


def _parts(items: list[str], limit: int) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for item in items:
        if parts[-1] and sum(len(i) + 2 for i in parts[-1]) + len(item) > limit:
            parts.append([])
        parts[-1].append(item)
    return parts


def _grants(titles: list[str]) -> str:
    return listing([quoted(t.rstrip(".")) for t in titles]) if titles else "it grants this role nothing"
