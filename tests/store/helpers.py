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
    kind = key.split(":", 1)[0]
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
    )


DRAFTS = [
    draft("bundle:node.page"),
    draft("bundle:node.news"),
    draft("fields:node.page", "bundle:node.page"),
    draft("fields:node.news", "bundle:node.news", "bundle:node.page"),
    draft("view:news", "bundle:node.news"),
]
