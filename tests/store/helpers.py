"""Builders shared by the store tests: batches walked through the life cycle, small drafts."""

from __future__ import annotations

import itertools

from app.store import Batch, Store, Tenant
from ticketgen.drafts.model import Draft, Source, Table

LIFE = [
    "uploaded",
    "validated",
    "drafting",
    "drafted",
    "awaiting_approval",
    "approved",
    "exporting",
    "exported",
]


async def make_batch(store: Store, tenant: Tenant, status: str = "drafted", name: str = "spec") -> Batch:
    batch = await store.create_batch(tenant.id, project_key="UWEC", project_id="10001", name=name)
    for previous, step in itertools.pairwise(LIFE[: LIFE.index(status) + 1]):
        assert await store.transition(tenant.id, batch.id, to=step, expect={previous})
    return await store.get_batch(tenant.id, batch.id)


def draft(key: str, *depends_on: str) -> Draft:
    kind, name = key.split(":", 1)
    return Draft(
        key=key,
        kind=kind,
        summary=f"Create {key}",
        tables=[Table(title="Settings", columns=["Name", "Value"], rows=[["label", key]])],
        sources=[Source(file="bundles.csv", rows=[2, 3])],
        user_story="As an editor …",
        criteria=["it exists"],
        labels=["drupal"],
        depends_on=list(depends_on),
        facts={"machine_name": key},
        modules=["node", "field_ui"],
        admin_path=f"/admin/structure/types/manage/{name}",
        config=[f"node.type.{name}"],
        verify=[{"check": "it exists", "command": f"drush config:get node.type.{name} type", "expect": name}],
    )


def questioned(key: str, *depends_on: str) -> Draft:
    """A draft the spec review doubts: an open question citing two rows of two files."""
    d = draft(key, *depends_on)
    d.labels.append("needs-decision")
    d.questions = [
        {
            "code": "storage_created_twice",
            "message": "field_plain_text is <b>new</b> on two bundles",
            "rows": [{"file": "fields.csv", "row": 4}, {"file": "bundles.csv", "row": 2}],
        }
    ]
    return d


DRAFTS = [
    draft("bundle:node.page"),
    draft("bundle:node.news"),
    draft("fields:node.page", "bundle:node.page"),
    questioned("fields:node.news", "bundle:node.news", "bundle:node.page"),
    draft("view:news", "bundle:node.news"),
]
