"""`GET /rest/api/3/user` as the reference OpenAPI describes it, and the app's `JiraUserNames` asking it:
what a person reads names people, never account ids."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import requests

from app.connect.jira_users import UNKNOWN_JIRA, UNKNOWN_SLACK, JiraUserNames
from app.jira import JiraClient, JiraError
from app.store import TenantSettings
from sandbox.settings import SandboxSettings

from .conftest import APP_KEY, Site
from .helpers import tenant_of

PERSON = SandboxSettings().user_account_id
USER = "GET /rest/api/3/user"


def test_a_known_account_has_its_display_name_and_an_unknown_one_is_404(site: Site, jira: JiraClient) -> None:
    assert jira.display_name(PERSON) == SandboxSettings().user_name
    site.permissions("557058:approver", projects={"UWEC": ["BROWSE_PROJECTS"]})
    assert jira.display_name("557058:approver") == "Jira user approver"
    with pytest.raises(JiraError) as gone:
        jira.display_name("557058:nobody")
    assert gone.value.status == 404
    body = jira._send("GET", "/user", lambda: jira._jira.get_user(account_id=PERSON))
    assert set(body) >= {"self", "accountId", "accountType", "active", "displayName", "avatarUrls"}
    assert body["accountId"] == PERSON and body["accountType"] == "atlassian" and "emailAddress" not in body


def test_the_user_endpoint_is_as_strict_as_jira(site: Site, jira: JiraClient) -> None:
    for params, status in ((None, 400), ({"username": "admin"}, 400), ({"accountId": "x" * 129}, 400)):
        with pytest.raises(JiraError) as refused:
            jira._send("GET", "/user", lambda params=params: jira._jira.get("rest/api/3/user", params=params))
        assert refused.value.status == status, params
    anonymous = requests.get(f"{site.base_url}/rest/api/3/user", params={"accountId": PERSON}, timeout=10)
    assert anonymous.status_code == 401


async def test_names_come_from_jira_once_and_slack_approvers_by_their_linked_account(site: Site) -> None:
    site.admin_call("POST", "reset")
    tenant = tenant_of(site, TenantSettings(approver_accounts={"U0123ABCD": PERSON}))
    names = JiraUserNames(app_key=APP_KEY)
    people = [PERSON, "U0123ABCD", "UNLINKED9", "557058:nobody", None, "system"]
    assert await names.names(tenant, people) == {
        PERSON: SandboxSettings().user_name,
        "U0123ABCD": SandboxSettings().user_name,  # a Slack decision, named by the approver's Jira account
        "UNLINKED9": UNKNOWN_SLACK,
        "557058:nobody": UNKNOWN_JIRA,  # never the id itself
    }
    before = site.stats()["requests"][USER]["statuses"]
    assert await names.names(tenant, [PERSON, "U0123ABCD", "557058:nobody"]) == {
        PERSON: SandboxSettings().user_name, "U0123ABCD": SandboxSettings().user_name,
        "557058:nobody": UNKNOWN_JIRA,
    }  # fmt: skip
    assert site.stats()["requests"][USER]["statuses"] == before, "names and failures are remembered a while"
    assert before == {"200": 1, "404": 1}


def test_avatar_urls_point_at_a_picture_and_an_unknown_account_has_none(site: Site, jira: JiraClient) -> None:
    """The Plan step shows them: a 404 would be a broken image (and a console error) in every picker."""
    body = jira._send("GET", "/user", lambda: jira._jira.get_user(account_id=PERSON))
    picture = requests.get(body["avatarUrls"]["48x48"], timeout=10)
    assert picture.status_code == 200 and picture.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in picture.text and "</text>" in picture.text
    nobody = body["avatarUrls"]["48x48"].replace(quote(PERSON, safe=""), quote("557058:nobody", safe=""))
    missing = requests.get(nobody, timeout=10)
    assert missing.status_code == 404
