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
