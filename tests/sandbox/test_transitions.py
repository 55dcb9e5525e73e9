"""The sandbox's issue transitions (how a person moves an issue to Done): Jira's simplified workflow, global
transitions between three statuses, no screen; what Jira refuses, the sandbox refuses."""

from __future__ import annotations

from typing import Any

import requests

from app.jira import ConnectJwtAuth, JiraClient
from tests.sandbox.conftest import APP_KEY

from .conftest import Site
from .helpers import issue


def call(site: Site, method: str, key: str, body: Any = None) -> requests.Response:
    auth = ConnectJwtAuth(app_key=APP_KEY, shared_secret=site.shared_secret, base_url=site.base_url)
    url = f"{site.base_url}/rest/api/3/issue/{key}/transitions"
    return requests.request(method, url, json=body, auth=auth, timeout=10)


def test_an_issue_is_moved_to_done_by_the_transition_jira_offers(site: Site, jira: JiraClient) -> None:
    created = jira.create_issue(issue("Content type: Job", draft="ct-job"))
    offered = call(site, "GET", created.key).json()["transitions"]
    assert [(t["name"], t["to"]["statusCategory"]["key"]) for t in offered] == [
        ("In Progress", "indeterminate"),
        ("Done", "done"),
    ], "not the status it is in"
    done = next(t["id"] for t in offered if t["to"]["name"] == "Done")
    moved = call(site, "POST", created.key, {"transition": {"id": done}})
    assert (moved.status_code, moved.content) == (204, b"")
    status = jira.get_issue(created.key)["fields"]["status"]
    assert (status["name"], status["statusCategory"]["key"]) == ("Done", "done")
    assert [t["to"]["name"] for t in call(site, "GET", created.key).json()["transitions"]] == [
        "To Do",
        "In Progress",
    ]


def test_a_transition_jira_would_refuse_is_refused(site: Site, jira: JiraClient) -> None:
    created = jira.create_issue(issue("Content type: Event", draft="ct-event"))
    to_do = call(site, "POST", created.key, {"transition": {"id": "11"}})  # the status it is in
    assert to_do.status_code == 400
    assert to_do.json()["errorMessages"] == ["Transition id '11' is not valid for this issue."]
    assert call(site, "POST", created.key, {"transition": {"id": "99"}}).status_code == 400
    missing = call(site, "POST", created.key, {"fields": {}})
    assert (missing.status_code, missing.json()["errorMessages"]) == (
        400,
        ["Missing 'transition' identifier"],
    )
    screen = call(
        site, "POST", created.key, {"transition": {"id": "31"}, "fields": {"resolution": {"name": "Done"}}}
    )
    assert screen.status_code == 400 and "resolution" in screen.json()["errors"]
    assert jira.get_issue(created.key)["fields"]["status"]["name"] == "To Do", "nothing moved"
    assert call(site, "POST", "UWEC-9999", {"transition": {"id": "31"}}).status_code == 404
    unsigned = requests.post(
        f"{site.base_url}/rest/api/3/issue/{created.key}/transitions", json={}, timeout=5
    )
    assert unsigned.status_code == 401
