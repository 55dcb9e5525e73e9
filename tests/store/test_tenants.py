from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from app.store import InvalidValue, SecretKeyError, Store, Tenant, TenantSettings, new_secret_key
from app.store._utils import utcnow


async def test_upsert_creates_then_rotates_in_place(store: Store, tenant: Tenant) -> None:
    assert tenant.client_key == "client-a"
    assert tenant.shared_secret == "secret-a"
    assert tenant.state == "installed" and tenant.is_active
    assert tenant.installed_at.tzinfo is not None
    await store.update_settings(tenant.id, labels=["drupal"])

    again = await store.upsert_tenant(
        "client-a", shared_secret="rotated", base_url="https://moved.atlassian.net/"
    )

    assert again.id == tenant.id
    assert again.shared_secret == "rotated"
    assert again.base_url == "https://moved.atlassian.net"
    assert again.display_url is None
    assert again.settings.labels == ("drupal",)  # a re-install keeps the tenant's settings
    assert [t.id for t in await store.list_tenants()] == [tenant.id]


async def test_only_an_install_after_an_uninstall_starts_a_new_generation(
    store: Store, tenant: Tenant
) -> None:
    assert tenant.install_generation == 1
    again = await store.upsert_tenant("client-a", shared_secret="rotated", base_url=tenant.base_url)
    assert again.install_generation == 1
    await store.set_tenant_state(tenant.id, "disabled")
    assert (
        await store.upsert_tenant("client-a", shared_secret="x", base_url=tenant.base_url)
    ).install_generation == 1
    for expected in (2, 3):
        await store.set_tenant_state(tenant.id, "uninstalled")
        back = await store.upsert_tenant("client-a", shared_secret="x", base_url=tenant.base_url)
        assert back.install_generation == expected and back.id == tenant.id


async def test_lookup_by_id_and_client_key(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    assert (await store.get_tenant(tenant.id)) == tenant
    assert (await store.get_tenant_by_client_key("client-b")) == other_tenant
    assert await store.get_tenant("missing") is None
    assert await store.get_tenant_by_client_key("missing") is None


async def test_secret_is_encrypted_at_rest(store: Store, tenant: Tenant, secret_key: str) -> None:
    async with store.engine.connect() as conn:
        raw = (await conn.execute(text("SELECT shared_secret FROM tenants"))).scalar_one()
    assert "secret-a" not in raw
    assert Fernet(secret_key.encode()).decrypt(raw.encode()) == b"secret-a"
    assert "secret-a" not in repr(tenant)


async def test_wrong_key_fails_clearly(store: Store, tenant: Tenant, db_url: str) -> None:
    async with Store(url=db_url, secret_key=new_secret_key()) as other:
        with pytest.raises(SecretKeyError, match="SECRET_KEY differs"):
            await other.get_tenant(tenant.id)


async def test_key_rotation_with_two_keys(store: Store, tenant: Tenant, db_url: str, secret_key: str) -> None:
    newer = new_secret_key()
    async with Store(url=db_url, secret_key=f"{newer},{secret_key}") as rotated:
        assert (await rotated.get_tenant(tenant.id)).shared_secret == "secret-a"
        await rotated.upsert_tenant("client-a", shared_secret="secret-a", base_url=tenant.base_url)
    async with Store(url=db_url, secret_key=newer) as only_new:
        assert (await only_new.get_tenant(tenant.id)).shared_secret == "secret-a"


async def test_concurrent_installs_make_one_tenant(store: Store, db_url: str, secret_key: str) -> None:
    async with Store(url=db_url, secret_key=secret_key) as second:
        results = await asyncio.gather(
            *(s.upsert_tenant("race", shared_secret=f"s{i}", base_url="https://r.net") for i, s in
              enumerate([store, second] * 4))
        )  # fmt: skip
    assert len({t.id for t in results}) == 1
    assert len(await store.list_tenants()) == 1


async def test_states_and_uninstall_schedules_purge(store: Store, tenant: Tenant) -> None:
    assert (await store.set_tenant_state(tenant.id, "enabled")).state == "enabled"
    disabled = await store.set_tenant_state(tenant.id, "disabled")
    assert disabled.state == "disabled" and not disabled.is_active
    gone = await store.set_tenant_state(tenant.id, "uninstalled")
    assert gone.uninstalled_at is not None
    assert gone.purge_after - gone.uninstalled_at == timedelta(days=30)
    assert [t.id for t in await store.list_tenants(states={"uninstalled"})] == [tenant.id]
    back = await store.upsert_tenant("client-a", shared_secret="x", base_url=tenant.base_url)
    assert back.state == "installed" and back.purge_after is None and back.uninstalled_at is None
    with pytest.raises(InvalidValue, match="tenant state"):
        await store.set_tenant_state(tenant.id, "paused")
    assert await store.set_tenant_state("missing", "enabled") is None


async def test_settings_defaults_validation_and_codes(store: Store, tenant: Tenant) -> None:
    assert await store.get_settings(tenant.id) == TenantSettings()
    updated = await store.update_settings(
        tenant.id, ticketed_codes=["A", " n "], approvers=["U1", "U1", "U2"], approval_required=False
    )
    assert updated.ticketed_codes == ("a", "n")
    assert updated.approvers == ("U1", "U2")
    assert updated.status_codes.creates_ticket("N")
    assert (await store.get_settings(tenant.id)) == updated
    for bad, message in [
        ({"colour": "red"}, "unknown setting 'colour'"),
        ({"approval_required": "yes"}, "true or false"),
        ({"retention_inactive_days": 0}, "from 1 to 3650"),
        ({"labels": "one"}, "list of texts"),
        ({"issue_type": 5}, "must be text"),
    ]:
        with pytest.raises(InvalidValue, match=message):
            await store.update_settings(tenant.id, **bad)
    assert (await store.get_settings(tenant.id)) == updated
    assert await store.update_settings("missing", labels=[]) is None


async def test_stored_settings_tolerate_unknown_keys(store: Store, tenant: Tenant) -> None:
    async with store.engine.begin() as conn:
        await conn.execute(text("UPDATE tenants SET settings = :s"), {"s": '{"future": 1, "labels": ["x"]}'})
    assert (await store.get_settings(tenant.id)).labels == ("x",)


async def test_slack_secrets_encrypted(store: Store, tenant: Tenant, other_tenant: Tenant) -> None:
    assert await store.get_slack_secrets(tenant.id) == {}
    assert await store.set_slack_secrets(tenant.id, {"bot_token": "xoxb-123"})
    assert await store.get_slack_secrets(tenant.id) == {"bot_token": "xoxb-123"}
    assert await store.get_slack_secrets(other_tenant.id) == {}
    async with store.engine.connect() as conn:
        raw = (
            await conn.execute(text("SELECT slack_secrets FROM tenants WHERE client_key='client-a'"))
        ).scalar()
    assert "xoxb" not in raw
    assert await store.set_slack_secrets(tenant.id, None)
    assert await store.get_slack_secrets(tenant.id) == {}
    assert not await store.set_slack_secrets("missing", {"bot_token": "x"})


async def test_naive_datetimes_are_refused(store: Store, tenant: Tenant) -> None:
    with pytest.raises(Exception, match="naive datetime"):
        await store.set_tenant_state(tenant.id, "uninstalled", purge_after=utcnow().replace(tzinfo=None))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            {"retention_exported_days": 1_000_000},
            "'retention_exported_days' must be a whole number of days from 1 to 3650",
        ),
        ({"retention_inactive_days": 3651}, "from 1 to 3650, not 3651"),
        ({"retention_inactive_days": 7.5}, "whole number of days"),
        ({"approvers": [f"U{i:08}" for i in range(51)]}, "'approvers' takes at most 50 values, not 51"),
        ({"approvers": ["U0LEAD", "bob"]}, "Slack user ids like U0123ABCD; 'bob' is not one"),
        ({"slack_channel": "C" + "0" * 40}, "Slack channel id"),
        ({"slack_channel": "general"}, "Slack channel id"),
        ({"labels": ["two words"]}, "one word of at most 255 characters"),
        ({"labels": ["x" * 256]}, "at most 255 characters"),
        ({"labels": [f"l{i}" for i in range(21)]}, "at most 20 values"),
        ({"ticketed_codes": ["toolongcode"]}, "codes of 1 to 8"),
        ({"issue_type": ""}, "issue type name of 1 to 60 characters"),
        ({"issue_type": "T" * 61}, "1 to 60 characters"),
        ({"issue_type": "Task\x00"}, "1 to 60 characters"),
        ({"llm_model": "claude sonnet"}, "without spaces"),
        ({"category_as": "epic"}, "setting 'category_as' must be \"label\" or \"component\", not 'epic'"),
        ({"llm_model": "m" * 10_000}, "at most 100 characters, not 'mmm"),
        ({"tenant_id": "someone-else"}, "unknown setting 'tenant_id'"),
        (
            {"approver_accounts": ["U0LEAD"]},
            "'approver_accounts' must map Slack user ids to Jira account ids",
        ),
        ({"approver_accounts": {"U0LEAD": "557058 abc"}}, "'557058 abc' (for U0LEAD) is not one"),
        ({"approver_accounts": {"U0LEAD": "a" * 129}}, "1 to 128 letters, digits or :_-"),
        ({"approver_accounts": {"bob": "557058:abc"}}, "must link Slack user ids like U0123ABCD; 'bob'"),
        (
            {"approver_accounts": {"U0DEV": "557058:abc"}},
            "'approver_accounts' links 'U0DEV' to a Jira account, but only approvers can be linked",
        ),
    ],
)
async def test_every_setting_is_bounded(store: Store, tenant: Tenant, bad: dict, message: str) -> None:
    before = await store.get_settings(tenant.id)
    with pytest.raises(InvalidValue, match=re.escape(message)):
        await store.update_settings(tenant.id, **bad)
    assert await store.get_settings(tenant.id) == before


async def test_approvers_are_linked_to_jira_accounts_and_lose_the_link_when_removed(
    store: Store, tenant: Tenant
) -> None:
    account = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"
    linked = await store.update_settings(
        tenant.id,
        approvers=["U0LEAD", "U0PM"],
        approver_accounts={"U0LEAD": account, "U0PM": "5b10ac8d82e05b22cc7d4ef5 ", "U0X": ""},
    )
    assert linked.approver_accounts == {"U0LEAD": account, "U0PM": "5b10ac8d82e05b22cc7d4ef5"}
    assert (await store.get_settings(tenant.id)) == linked
    # linking and unlinking in one save (the configure page sends every approver, "" for no link)
    unlinked = await store.update_settings(tenant.id, approver_accounts={"U0LEAD": account, "U0PM": ""})
    assert unlinked.approver_accounts == {"U0LEAD": account}
    removed = await store.update_settings(tenant.id, approvers=["U0PM"])
    assert removed.approver_accounts == {}
    readded = await store.update_settings(tenant.id, approvers=["U0PM", "U0LEAD"])
    assert readded.approver_accounts == {}, "a removed approver's link must not come back with them"


async def test_the_largest_values_allowed_are_accepted(store: Store, tenant: Tenant) -> None:
    updated = await store.update_settings(
        tenant.id,
        retention_exported_days=3650,
        retention_inactive_days=1,
        approvers=[f"U{i:08}" for i in range(50)],
        labels=["x" * 255] + [f"l{i}" for i in range(19)],
        issue_type="T" * 60,
        slack_channel="#approvals",
    )
    assert updated.retention_exported_days == 3650 and len(updated.approvers) == 50


async def test_settings_stored_before_the_bounds_are_read_within_them(store: Store, tenant: Tenant) -> None:
    """A tenant that saved 1,000,000 days before the bounds existed: its batches are selected without an
    overflow (the retention job used to crash on it, for every tenant)."""
    stored = '{"retention_exported_days": 1000000, "retention_inactive_days": -5, "labels": "oops", "approvers": 7}'
    async with store.engine.begin() as conn:
        await conn.execute(
            text("UPDATE tenants SET settings = :s WHERE id = :t"), {"s": stored, "t": tenant.id}
        )
    settings = await store.get_settings(tenant.id)
    assert (settings.retention_exported_days, settings.retention_inactive_days) == (3650, 1)
    assert (settings.labels, settings.approvers) == ((), ())
    assert await store.batches_past_retention(tenant_id=tenant.id) == []
    async with store.engine.begin() as conn:
        await conn.execute(
            text("UPDATE tenants SET settings = :s WHERE id = :t"), {"s": "[1, 2]", "t": tenant.id}
        )
    assert await store.get_settings(tenant.id) == TenantSettings()


INSTALLATION = "ari:cloud:ecosystem::installation/0a3a7799-53ae-4a5b-9e7e-03338980abb5"
API = "https://api.atlassian.com/ex/jira/d0d52620-3203-4cfa-8db5-f2587155f0dd"


async def test_a_forge_installation_is_a_tenant_of_its_own_host(store: Store, tenant: Tenant) -> None:
    forge = await store.upsert_forge_installation(
        INSTALLATION, api_base_url=API + "/", cloud_id="d0d52620-3203-4cfa-8db5-f2587155f0dd"
    )
    assert (forge.host, forge.base_url, forge.state, forge.install_generation) == (
        "forge",
        API,
        "installed",
        1,
    )
    assert forge.is_forge and not tenant.is_forge and tenant.host == "connect"
    assert forge.shared_secret and forge.jira_token is None
    with pytest.raises(ValueError):  # a Connect tenant's key never becomes a Forge installation
        await store.upsert_forge_installation(tenant.client_key, api_base_url=API, cloud_id=None)
    assert (await store.get_tenant(tenant.id)).host == "connect"  # type: ignore[union-attr]

    site = await store.update_forge_installation(
        forge.id, api_base_url=API, cloud_id=None, site_url="https://acme.atlassian.net/"
    )
    assert site is not None and site.display_url == "https://acme.atlassian.net"
    assert site.cloud_id == forge.cloud_id  # an invocation that does not name the site keeps it
    assert await store.update_forge_installation(tenant.id, api_base_url=API, cloud_id=None) is None


async def test_the_system_token_kept_is_the_longest_lived_and_goes_with_an_uninstall(store: Store) -> None:
    forge = await store.upsert_forge_installation(INSTALLATION, api_base_url=API, cloud_id=None)
    now = utcnow()
    assert await store.save_system_token(forge.id, "token-2h", expires_at=now + timedelta(hours=2))
    assert not await store.save_system_token(forge.id, "token-1h", expires_at=now + timedelta(hours=1))
    assert (await store.get_tenant(forge.id)).jira_token == "token-2h"  # type: ignore[union-attr]
    raw = await store.system_token_expiry(forge.id)
    assert raw is not None and abs((raw - (now + timedelta(hours=2))).total_seconds()) < 1

    await store.set_tenant_state(forge.id, "uninstalled")
    gone = await store.get_tenant(forge.id)
    assert gone is not None and gone.jira_token is None and await store.system_token_expiry(forge.id) is None
    assert not await store.save_system_token(forge.id, "late", expires_at=now + timedelta(hours=3))

    again = await store.upsert_forge_installation(INSTALLATION, api_base_url=API, cloud_id=None)
    assert (again.id, again.state, again.install_generation) == (forge.id, "installed", 2)


async def test_a_token_near_its_expiry_is_not_handed_out(store: Store) -> None:
    forge = await store.upsert_forge_installation(INSTALLATION, api_base_url=API, cloud_id=None)
    assert await store.save_system_token(forge.id, "short", expires_at=utcnow() + timedelta(seconds=30))
    assert (await store.get_tenant(forge.id)).jira_token is None  # type: ignore[union-attr]
