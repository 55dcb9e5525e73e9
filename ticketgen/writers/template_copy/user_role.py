"""user_role: the role and the access its notes grant, checked with a user holding only that role."""

from __future__ import annotations

from ticketgen.writers.template_copy._utils import (
    Copy,
    Facts,
    clause_criteria,
    first_sentence,
    lower_first,
    named,
)


def write(f: Facts) -> Copy:
    name, mn = f["name"], f["machine_name"]
    access = first_sentence(f.get("permissions", ""))
    story = f"As a site administrator, I want a {name} role so that " + (
        f"people with it get this access: {lower_first(access)}." if access else
        "people with it get exactly the access the spec describes."
    )  # fmt: skip
    criteria = [f"The role {named(name, mn)} exists at /admin/people/roles."]
    granted = clause_criteria(f.get("clauses", []))
    criteria += granted
    if f.get("permissions") and not granted:
        criteria.append(
            f"Log in as a test user holding only {name}: every access above works, and editing or creating "
            "anything else is refused (403 or no link)."
        )
    return story, criteria
