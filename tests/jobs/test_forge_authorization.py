"""A Forge site's export with no valid system token waits, visibly, and goes on once Forge brings one.

In-process (the actor's function, as a worker runs it): the first pass finds the stored token expired, makes
no Jira call, and says "Waiting for Jira authorization" in the run (the panel; Slack shows the same progress);
once the scheduled trigger has stored a fresh token, the next pass calls Jira with it, as a bearer token, at
the installation's API base URL. (The sandbox's Forge host, which answers those calls, is section 5's.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dramatiq
import pytest
from cryptography.fernet import Fernet

from app.config import Config
from app.store import Store
from jobs import context
from jobs.export import WAITING_FOR_AUTHORIZATION, export_batch
from tests.peers.forge_platform import ForgeSite, Gateway, oauth_token, serve_api_gateway

from .world import PROJECT, synthetic_drafts

# the actor's own coroutine (dramatiq wraps it to run on a worker's event loop thread)
export_pass = export_batch.fn.__wrapped__


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with serve_api_gateway() as served:
        yield served


async def test_an_export_waits_for_authorization_then_calls_jira_with_the_new_token(
    tmp_path: Path, gateway: Gateway
) -> None:
    config = Config(data_dir=tmp_path, secret_key=Fernet.generate_key().decode())
    context.configure(config)
    try:
        store = await context.store()
        site = ForgeSite(api_base_url=f"{gateway.url}/ex/jira/{ForgeSite().cloud_id}")
        tenant = await store.upsert_forge_installation(
            site.installation_id, api_base_url=site.api_base_url, cloud_id=site.cloud_id
        )
        expired = datetime.now(UTC) - timedelta(minutes=5)
        assert await store.save_system_token(tenant.id, oauth_token(lifetime=-300), expires_at=expired)
        batch_id, run_id = await _approved_batch(store, tenant.id)

        with pytest.raises(dramatiq.Retry):
            await export_pass(tenant.id, batch_id, run_id)
        run = await store.get_run(tenant.id, run_id)
        assert run is not None and not run.finished
        assert (run.phase, run.message) == ("waiting", WAITING_FOR_AUTHORIZATION)
        assert run.message.startswith("Waiting for Jira authorization")
        assert gateway.seen == []  # no call made with an expired token

        fresh = oauth_token(lifetime=2 * 3600)  # the scheduled trigger's token
        assert await store.save_system_token(
            tenant.id, fresh, expires_at=datetime.now(UTC) + timedelta(hours=2)
        )
        with pytest.raises(dramatiq.Retry):  # the stand-in refuses the export's calls with 401 ...
            await export_pass(tenant.id, batch_id, run_id)
        assert gateway.seen, "the export went on once a token came"
        path, auth = gateway.seen[0]
        assert path.startswith(f"/ex/jira/{site.api_base_url.rsplit('/', 1)[1]}/rest/api/3/")
        assert auth == f"Bearer {fresh}"
        # ... which a Forge export takes for a revoked token: it waits for the next one instead of failing
        run = await store.get_run(tenant.id, run_id)
        assert run is not None and not run.finished
        assert (run.phase, run.message) == ("waiting", WAITING_FOR_AUTHORIZATION)
    finally:
        await context.close()
        context.configure(None)


async def _approved_batch(store: Store, tenant_id: str) -> tuple[str, str]:
    batch = await store.create_batch(tenant_id, project_key=PROJECT, project_id="10000", name="UWEC")
    for to, expect in (("validated", "uploaded"), ("drafting", "validated"), ("drafted", "drafting")):
        assert await store.transition(tenant_id, batch.id, to=to, expect={expect})
    await store.replace_drafts(tenant_id, batch.id, synthetic_drafts(3, oversized=0))
    assert await store.approve(tenant_id, batch.id, by="tester", expect={"drafted"})
    run = await store.create_run(tenant_id, batch.id, "export", created_by="tester")
    return batch.id, run.id
