"""The people of the sandbox site besides its admin: a small Drupal team to assign work to, and one person
who may browse the project but cannot be assigned issues in it (a stakeholder), as on a real site.

Who is assignable is a project permission, as in Jira: `ASSIGNABLE_USER` in the project, through the site's
permissions (`permissions.py`), so a test revokes it with the admin endpoint like any other permission.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Person:
    account_id: str
    display_name: str
    email: str  # matched by the user searches, never shown (profile visibility hides it by default)


SITE_BUILDER = Person("712020:3f1c0e7a-5b0d-4c55-9a51-sitebuilder", "Priya Shah", "priya.shah@example.edu")
FRONT_END_DEV = Person(
    "712020:8d2b4f61-7e2a-4b8c-b0f4-frontend000", "Tomás Rivera", "tomas.rivera@example.edu"
)
BACK_END_DEV = Person("712020:c6a9e3d2-1f4b-4a7e-9c3d-backend00000", "Mei Chen", "mei.chen@example.edu")
STAKEHOLDER = Person(
    "712020:0b7e5d4c-3a2f-4e1d-8c6b-stakeholder0", "Dana Whitfield", "dana.whitfield@example.edu"
)

TEAM: tuple[Person, ...] = (SITE_BUILDER, FRONT_END_DEV, BACK_END_DEV, STAKEHOLDER)
ASSIGNABLE_BY_DEFAULT = (SITE_BUILDER, FRONT_END_DEV, BACK_END_DEV)


def person(account_id: str) -> Person | None:
    return next((p for p in TEAM if p.account_id == account_id), None)


def matches(query: str, *, display_name: str, email: str = "") -> bool:
    """Jira's user search: the query is a prefix of the display name, of one of its words, or of the email
    address, case-insensitively ("pri" finds Priya Shah, "shah" too, "priya.s" by her address)."""
    wanted = query.strip().casefold()
    name = display_name.casefold()
    return (
        not wanted
        or name.startswith(wanted)
        or any(word.startswith(wanted) for word in name.split())
        or email.casefold().startswith(wanted)
    )
