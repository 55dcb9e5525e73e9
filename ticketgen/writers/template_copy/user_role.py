"""user_role: the role and the access its notes grant, checked with a user holding only that role."""

from __future__ import annotations

from ticketgen.writers.template_copy._utils import (
    Copy,
    Facts,
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
    granted = [
        f"Once those tickets are done, a {c[2:]}" if granted_in and c.startswith("A test user") else c
        for c in clause_criteria(f.get("clauses", []))
    ]
    criteria += granted
    if f.get("permissions") and not granted:
        criteria.append(
            f"Log in as a test user holding only {name}: every access above works, and editing or creating "
            "anything else is refused (403 or no link)."
        )
    return story, criteria


def _parts(items: list[str], limit: int) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for item in items:
        if parts[-1] and sum(len(i) + 2 for i in parts[-1]) + len(item) > limit:
            parts.append([])
        parts[-1].append(item)
    return parts


def _grants(titles: list[str]) -> str:
    return listing([quoted(t.rstrip(".")) for t in titles]) if titles else "it grants this role nothing"
