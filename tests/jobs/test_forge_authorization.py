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
from urllib.parse import urlsplit

import dramatiq
import pytest
from cryptography.fernet import Fernet

from app.config import Config
from app.store import Store
from bot import notify as slack_notify
from bot.messages import OPEN_PANEL
from bot.store_adapter import StoreAdapter
from jobs import context
from jobs.export import WAITING_FOR_AUTHORIZATION, export_batch
from tests.bot.conftest import CHANNEL, LEAD, ExportRecorder, slack_config
from tests.peers.forge_platform import APP_ID, ForgeSite, Gateway, oauth_token, serve_api_gateway
from tests.peers.slack_server import SlackServer

from .world import PROJECT, synthetic_drafts

ENVIRONMENT_UUID = "5f0e3c1d-8a2b-4c6d-9e7f-0a1b2c3d4e5f"
ENVIRONMENT = f"ari:cloud:ecosystem::environment/{APP_ID.rsplit('/', 1)[1]}/{ENVIRONMENT_UUID}"
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


async def test_a_batch_approved_in_slack_with_the_token_expired_waits_and_slack_says_why(
    tmp_path: Path, gateway: Gateway
) -> None:
    """The Done-means case: the approver clicks Approve in Slack (the bot's own approval path) while the
    stored system token has expired. Nothing is refused: the export waits, and the approval message says
    why, in Slack as in the panel, until a token comes."""
    with SlackServer(channels=(CHANNEL,)) as slack:
        site = ForgeSite(api_base_url=f"{gateway.url}/ex/jira/{ForgeSite().cloud_id}")
        config = slack_config(
            tmp_path, slack, allowed_sites=(urlsplit(site.site_url).hostname,), forge_app_id=APP_ID
        )
        context.configure(config)
        try:
            store = await context.store()
            tenant = await store.upsert_forge_installation(
                site.installation_id,
                api_base_url=site.api_base_url,
                cloud_id=site.cloud_id,
                site_url=site.site_url,
                environment_id=ENVIRONMENT,
            )
            await store.update_settings(tenant.id, slack_channel=CHANNEL, approvers=[LEAD])
            expired = datetime.now(UTC) - timedelta(minutes=5)
            assert await store.save_system_token(tenant.id, oauth_token(lifetime=-300), expires_at=expired)
            batch = await store.create_batch(tenant.id, project_key=PROJECT, project_id="10000", name="UWEC")
            for to, expect in (("validated", "uploaded"), ("drafting", "validated"), ("drafted", "drafting")):
                assert await store.transition(tenant.id, batch.id, to=to, expect={expect})
            await store.replace_drafts(tenant.id, batch.id, synthetic_drafts(3, oversized=0))
            assert await store.submit(tenant.id, batch.id, by="557058:dana", by_name="Dana Director")
            assert await slack_notify.post_approval_request(config, store, tenant.id, batch.id)

            exports = ExportRecorder()
            approvals = StoreAdapter(store, config=config, queue_export=exports)
            revision = (await store.get_batch(tenant.id, batch.id)).revision  # type: ignore[union-attr]
            assert await approvals.approve(tenant.id, batch.id, revision=revision, user=LEAD)
            assert exports.calls == [(tenant.id, batch.id)], "approved and queued, not refused"

            with pytest.raises(dramatiq.Retry):
                await export_pass(tenant.id, batch.id, exports.run_ids[0])
            assert gateway.seen == []
            assert await slack_notify.update_progress(config, store, tenant.id, batch.id, urgent=True)
            message = slack.channel_messages(CHANNEL)[-1]
            assert "Waiting for Jira authorization" in message.all_text()
            open_in_jira = message.buttons().one(OPEN_PANEL)["url"]
            assert open_in_jira == (
                f"{site.site_url}/jira/software/projects/{PROJECT}/apps/{APP_ID.rsplit('/', 1)[1]}/{ENVIRONMENT_UUID}"
            ), "a Forge app's page, not a Connect plugin's"
        finally:
            await context.close()
            context.configure(None)
