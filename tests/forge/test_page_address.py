"""Where the app's project page is, for links sent outside Jira (Slack's "Open in Jira"), per host."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from app.config import Config
from app.hosts import project_page_url
from app.store.records import Tenant
from app.store.settings import TenantSettings

APP = "ari:cloud:ecosystem::app/7d4c1f0e-2b8a-4c3e-9f6d-1a2b3c4d5e6f"
ENVIRONMENT = "ari:cloud:ecosystem::environment/7d4c1f0e-2b8a-4c3e-9f6d-1a2b3c4d5e6f/0c9e8d7f-1111-2222-3333-444455556666"
CONFIG = Config(base_url="https://addon.example.test", forge_app_id=APP)


def tenant(**changes: object) -> Tenant:
    now = datetime.now(UTC)
    connect = Tenant(
        id="t1", client_key="k", shared_secret="s", base_url="https://acme.atlassian.net", display_url=None,
        product_type="jira", oauth_client_id=None, state="installed", install_generation=1, installed_at=now,
        updated_at=now, uninstalled_at=None, purge_after=None, settings=TenantSettings(),
    )  # fmt: skip
    return replace(connect, **changes)  # type: ignore[arg-type]


FORGE = dict(
    host="forge", base_url="https://api.atlassian.com/ex/jira/c0ffee", display_url="https://acme.atlassian.net",
    environment_id=ENVIRONMENT,
)  # fmt: skip


def test_connect_names_the_plugin_module() -> None:
    url = project_page_url(tenant(), "UWEC", project_type=None, config=CONFIG)
    assert url.startswith("https://acme.atlassian.net/projects/UWEC?selectedItem=com.atlassian.plugins.")


def test_forge_names_the_project_type_the_app_uuid_and_the_environment() -> None:
    url = project_page_url(tenant(**FORGE), "UWEC", project_type="software", config=CONFIG)
    assert url == (
        "https://acme.atlassian.net/jira/software/projects/UWEC/apps/"
        "7d4c1f0e-2b8a-4c3e-9f6d-1a2b3c4d5e6f/0c9e8d7f-1111-2222-3333-444455556666"
    ), "the site, never the API gateway; the app's UUID, not its ARI"
    business = project_page_url(tenant(**FORGE), "OPS", project_type="business", config=CONFIG)
    assert business.startswith("https://acme.atlassian.net/jira/core/projects/OPS/apps/")
    service = project_page_url(tenant(**FORGE), "HELP", project_type="service_desk", config=CONFIG)
    assert service.startswith("https://acme.atlassian.net/jira/servicedesk/projects/HELP/apps/")


def test_forge_without_a_known_environment_opens_the_project() -> None:
    url = project_page_url(
        tenant(**{**FORGE, "environment_id": None}), "UWEC", project_type=None, config=CONFIG
    )
    assert url == "https://acme.atlassian.net/jira/software/projects/UWEC"
