"""Calling Jira from the remote: the FIT's `apiBaseUrl`, a bearer token per action (the user's on a person's
behalf, the system token for background work), and no call at all without a valid token."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.hosts import WAITING_MESSAGE, WaitingForAuthorization, jira_client
from app.jira import JiraError
from app.store.records import Tenant
from app.store.settings import TenantSettings
from tests.peers.forge_platform import ForgeSite, Gateway, oauth_token, serve_api_gateway


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with serve_api_gateway() as served:
        yield served


def _forge_tenant(api_base_url: str, token: str | None) -> Tenant:
    now = datetime.now(UTC)
    site = ForgeSite()
    return Tenant(
        id="t-1", client_key=site.installation_id, shared_secret="unused", base_url=api_base_url,
        display_url=site.site_url, product_type="jira", oauth_client_id=None, state="installed",
        install_generation=1, installed_at=now, updated_at=now, uninstalled_at=None, purge_after=None,
        settings=TenantSettings(), host="forge", cloud_id=site.cloud_id, jira_token=token,
    )  # fmt: skip


def test_background_work_uses_the_system_token_at_the_api_base_url(gateway: Gateway) -> None:
    system = oauth_token()
    gateway.issued.add(system)
    base = f"{gateway.url}/ex/jira/{ForgeSite().cloud_id}"
    with jira_client(_forge_tenant(base, system), app_key="unused") as jira:
        assert jira.get_project("ABC").id == "10000"
    path, auth = gateway.seen[-1]
    assert path == f"/ex/jira/{base.rsplit('/', 1)[1]}/rest/api/3/project/ABC"
    assert auth == f"Bearer {system}"


def test_a_persons_action_uses_their_own_token(gateway: Gateway) -> None:
    system, user = oauth_token(), oauth_token(sub="account-1")
    gateway.issued |= {system, user}
    with jira_client(_forge_tenant(gateway.url, system), app_key="unused", token=user) as jira:
        jira.get_project("ABC")
    assert gateway.seen[-1][1] == f"Bearer {user}"


def test_no_valid_token_means_waiting_not_a_call(gateway: Gateway) -> None:
    with pytest.raises(WaitingForAuthorization) as waiting:
        jira_client(_forge_tenant(gateway.url, None), app_key="unused")
    assert str(waiting.value) == WAITING_MESSAGE == "waiting for Jira authorization"
    assert gateway.seen == []


def test_connect_tenants_still_sign_with_the_shared_secret(gateway: Gateway) -> None:
    tenant = replace(_forge_tenant(gateway.url, None), host="connect", shared_secret="s" * 32)
    with jira_client(tenant, app_key="drupal-ticket-generator") as jira, pytest.raises(JiraError) as refused:
        jira.get_project("ABC")  # the gateway takes bearer tokens only
    assert refused.value.status == 401 and gateway.seen[-1][1].startswith("JWT ")
