"""user_role: the role and the access its notes grant, checked with a user holding only that role."""

from __future__ import annotations

from ticketgen.writers.template_copy._utils import (
    Copy,
    Facts,
    exported,
    first_sentence,
    lower_first,
    named,
    said,
)


def write(f: Facts) -> Copy:
    name, mn = f["name"], f["machine_name"]
    access = first_sentence(f.get("permissions", ""))
    story = f"As a site administrator, I want a {name} role so that " + (
        f"people with it get this access: {lower_first(access)}." if access else
        "people with it get exactly the access the spec describes."
    )  # fmt: skip
    criteria = [f"The role {named(name, mn)} exists."]
    if f.get("permissions"):
        criteria.append(f"Its permissions grant what the spec says: {said(f['permissions'])}.")
        criteria.append(
            f"A test user with only the {name} role can do that and is refused anything beyond it."
        )
    criteria.append(exported([f"user.role.{mn}"]))
    return story, criteria
