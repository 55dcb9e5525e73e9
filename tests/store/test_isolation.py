"""Every tenant-scoped method has an isolation test: called with tenant B's id on tenant A's rows."""

from __future__ import annotations

import asyncio
import inspect
import re
from pathlib import Path

from app.store import Store, Tenant

from .helpers import DRAFTS, make_batch

# Methods whose tenant_id is the subject itself (a tenant reading or changing its own record).
TENANT_SUBJECT = {
    "get_tenant", "set_tenant_state", "get_settings", "update_settings", "set_slack_secrets",
    "get_slack_secrets", "purge_tenant", "audit", "create_batch", "create_checked_batch",
    "link_slack_workspace", "update_forge_installation", "save_system_token", "system_token_expiry",
}  # fmt: skip


def test_every_tenant_scoped_method_is_tried_with_another_tenant() -> None:
    scoped = {
        name
        for name, fn in inspect.getmembers(Store, inspect.iscoroutinefunction)
        if not name.startswith("_") and list(inspect.signature(fn).parameters)[1:2] == ["tenant_id"]
    }
    assert {"get_batch", "transition", "update_draft", "record_intent"} <= scoped
    sources = "".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py"))
    tried = set(re.findall(r"store\.(\w+)\(\s*b[,)]", sources)) | {"list_audit"}  # list_audit: test_audit_*
    assert scoped - TENANT_SUBJECT - tried == set()


async def test_concurrent_edit_and_approval_never_approve_a_changed_draft(
    store: Store, tenant: Tenant, db_url: str, secret_key: str
) -> None:
    """Whichever commits first, the batch ends up drafted with the edit counted, never 'approved' stale."""
    async with Store(url=db_url, secret_key=secret_key) as approver:
        for i in range(8):
            batch = await make_batch(store, tenant, "drafting", name=f"b{i}")
            await store.replace_drafts(tenant.id, batch.id, DRAFTS)
            await store.transition(tenant.id, batch.id, to="drafted", expect={"drafting"})
            await store.submit(tenant.id, batch.id, by="acc")
            before = await store.get_batch(tenant.id, batch.id)
            edited, _ = await asyncio.gather(
                store.update_draft(tenant.id, batch.id, "view:news", summary=f"edit {i}"),
                approver.approve(tenant.id, batch.id, by="U1", revision=before.revision),
            )
            after = await store.get_batch(tenant.id, batch.id)
            assert edited is not None and edited.summary == f"edit {i}"
            assert (after.status, after.revision, after.approved_revision) == (
                "drafted",
                before.revision + 1,
                None,
            )
