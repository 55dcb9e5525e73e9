"""Hand-built drafts shaped like the planner's (bundle and fields tickets with tables and facts)."""

from __future__ import annotations

from ticketgen.drafts.model import Draft, Source, Table

BUNDLES = ("Academic Program", "Event", "News Article", "Landing Page", "Person", "Location", "Story")
FIELD_COLUMNS = ["Field label", "Machine name", "Field type", "Req'd", "Vals.", "Form widget"]


def _machine(label: str) -> str:
    return "_".join(label.lower().split())


def bundle_draft(label: str, row: int = 2, notes: tuple[str, ...] = ()) -> Draft:
    mn = _machine(label)
    return Draft(
        key=f"bundle:node.{mn}",
        kind="bundle",
        summary=f"Create {label} content type",
        tables=[
            Table(
                "Bundle settings",
                ["Name", "Machine name", "Type", "URL alias pattern"],
                [[label, mn, "Content type", f"/{mn.replace('_', '-')}/[node:title]"]],
            )
        ],
        sources=[Source("UWEC_Bundles.csv", [row])],
        notes=list(notes),
        facts={"bundle": {"name": label, "machine_name": mn, "entity_type": "node", "id": f"node.{mn}"}},
    )


def fields_draft(label: str, row: int = 2) -> Draft:
    mn = _machine(label)
    rows = [
        ["Title", "-", "Entity label", "y", "1", "Textfield"],
        ["Summary", f"field_{mn}_summary", "Text (plain, long)", "n", "1", "Text area (multiple rows)"],
        ["Image", f"field_{mn}_image", "Entity reference", "n", "1", "Media library"],
    ]
    return Draft(
        key=f"fields:node.{mn}",
        kind="fields",
        summary=f"Create {label} content type fields",
        tables=[Table("Fields", FIELD_COLUMNS, rows)],
        sources=[Source("UWEC_Fields.csv", list(range(row, row + len(rows))))],
        depends_on=[f"bundle:node.{mn}"],
        facts={
            "bundle": {"name": label, "machine_name": mn, "entity_type": "node", "id": f"node.{mn}"},
            "fields": [
                {
                    "label": r[0],
                    "machine_name": "" if r[1] == "-" else r[1],
                    "type": r[2],
                    "required": r[3] == "y",
                }
                for r in rows
            ],
        },
    )


def sample_drafts(count: int) -> list[Draft]:
    """`count` distinct drafts: a bundle then its fields ticket, for as many bundles as needed."""
    drafts: list[Draft] = []
    n = 0
    while len(drafts) < count:
        label = BUNDLES[n % len(BUNDLES)] + (f" {n // len(BUNDLES) + 1}" if n >= len(BUNDLES) else "")
        drafts += [bundle_draft(label, row=n + 2), fields_draft(label, row=3 * n + 2)]
        n += 1
    return drafts[:count]


ROLE = "site_admin"
PERMISSION = "create event content"
QUESTION = {
    "code": "widget_not_for_field_type",
    "message": "Summary (field_event_summary) uses the widget “Textfield”, which Drupal does not offer for "
    "Text (plain, long). Use one of: Text area (multiple rows).",
    "rows": [{"file": "UWEC_Fields.csv", "row": 3}],
}
CLOSING = [
    {"check": "Export the configuration", "command": "drush config:export", "expect": ""},
    {"check": "Nothing is left to export", "command": "drush config:status", "expect": "No differences"},
]
BASELINE = (
    "As a site admin, I want the Event fields so that events carry their summary and image.",
    [
        "Summary (field_event_summary) is plain long text, optional.",
        "Image (field_event_image) references media, optional.",
        f"Only the Site Admin role ({ROLE}) has the “{PERMISSION}” permission.",
    ],
)


def decided_drafts() -> list[Draft]:
    """A role, and an Event fields ticket with an open question, a permission note on that role, and
    build-and-verify facts: what the LLM writer must not lose."""
    role = Draft(
        key=f"user_role:{ROLE}",
        kind="user_role",
        summary="Create Site Admin role",
        tables=[Table("Role", ["Name", "Machine name"], [["Site Admin", ROLE]])],
        sources=[Source("UWEC_Roles.csv", [2])],
    )
    fields = fields_draft("Event")
    fields.labels = ["needs-decision"]
    fields.depends_on = [*fields.depends_on, role.key]
    fields.questions = [QUESTION]
    fields.modules = ["media_library", "text"]
    fields.admin_path = "/admin/structure/types/manage/event/fields"
    fields.config = [
        "field.storage.node.field_event_summary",
        "field.field.node.event.field_event_summary",
        "field.storage.node.field_event_image",
        "field.field.node.event.field_event_image",
    ]
    fields.verify = [
        {
            "check": "Summary is plain long text",
            "command": "drush config:get field.storage.node.field_event_summary type",
            "expect": "string_long",
        },
        {
            "check": "Image references media",
            "command": "drush config:get field.storage.node.field_event_image settings.target_type",
            "expect": "media",
        },
        *CLOSING,
    ]
    return [role, fields]


class BaselineCopy:
    """A fallback with fixed copy: the template criteria the LLM copy is held to, whatever the template
    writer of the day says."""

    def copy_for(self, draft: Draft) -> tuple[str, list[str]]:
        if draft.key == "fields:node.event":
            return BASELINE[0], list(BASELINE[1])
        return f"As a site admin, I want to {draft.summary.lower()} so that the site matches the spec.", [
            f"{draft.summary} is done as listed."
        ]
