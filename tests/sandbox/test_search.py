"""JQL search on indexed issue properties, paging, and Jira's eventual consistency."""

from __future__ import annotations

import pytest
import requests

from app.jira import ConnectJwtAuth, JiraClient, JiraError, jql_string

from .conftest import APP_KEY, Site
from .helpers import issue

BATCH_JQL = 'project = UWEC AND issue.property[ticketgen].batchId = "b1"'


def test_finds_created_issues_by_property(jira: JiraClient) -> None:
    result = jira.bulk_create([issue(f"t{i}", draft=f"d{i}") for i in range(5)])
    jira.create_issue(issue("other batch", batch="b2"))
    found = list(jira.search(BATCH_JQL, properties=["ticketgen"]))
    assert [f.key for f in found] == sorted((c.key for c in result.created), key=lambda k: int(k[5:]))
    assert found[0].properties["ticketgen"] == {"batchId": "b1", "draftKey": "d0"}
    assert found[0].fields == {"summary": "t0"}
    drafts = list(
        jira.search(f"issue.property[ticketgen].draftKey IN ({jql_string('d1')}, {jql_string('d3')})")
    )
    assert [f.fields["summary"] for f in drafts] == ["t1", "t3"]
    assert [f.key for f in jira.search("ticketgenBatch = b2")] == ["UWEC-6"]  # the descriptor's alias


def test_paging_with_next_page_token(jira: JiraClient) -> None:
    jira.bulk_create([issue(f"t{i}") for i in range(7)])
    first, token = jira.search_page(BATCH_JQL, page_size=3)
    assert len(first) == 3 and token
    assert len(list(jira.search(BATCH_JQL, page_size=3))) == 7
    newest_first = list(jira.search(BATCH_JQL + " ORDER BY key DESC", page_size=3))
    assert newest_first[0].key == "UWEC-7"


def _raw_search(site: Site, body: dict) -> dict:
    auth = ConnectJwtAuth(app_key=APP_KEY, shared_secret=site.shared_secret, base_url=site.base_url)
    response = requests.post(f"{site.base_url}/rest/api/3/search/jql", json=body, auth=auth, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_is_last_is_optional_and_the_token_says_whether_a_page_follows(site: Site, jira: JiraClient) -> None:
    """The schema makes `isLast` optional and documents `nextPageToken` as null on the last page: a page
    without `isLast` but with a token is not the last one."""
    site.settings(omit_is_last=1.0)
    jira.bulk_create([issue(f"t{i}") for i in range(7)])
    body = {"jql": BATCH_JQL, "maxResults": 3, "fields": ["summary"]}
    first = _raw_search(site, body)
    assert "isLast" not in first and first["nextPageToken"] and len(first["issues"]) == 3
    page, token = jira.search_page(BATCH_JQL, page_size=3)
    assert len(page) == 3 and token == first["nextPageToken"]
    assert sorted(f.fields["summary"] for f in jira.search(BATCH_JQL, page_size=3)) == [
        f"t{i}" for i in range(7)
    ]
    last = _raw_search(
        site, {**body, "nextPageToken": _raw_search(site, {**body, "nextPageToken": token})["nextPageToken"]}
    )
    assert "nextPageToken" not in last and len(last["issues"]) == 1
    site.settings(omit_is_last=0.0)
    assert _raw_search(site, body)["isLast"] is False
    refused = requests.put(f"{site.base_url}/admin/settings", json={"omit_is_last": 1.5}, timeout=10)
    assert refused.status_code == 400 and "chance" in refused.json()["error"]


def test_unindexed_property_matches_nothing(site: Site, jira: JiraClient) -> None:
    jira.create_issue(issue("x"))
    assert list(jira.search('issue.property[ticketgen].secret = "b1"')) == []
    assert site.stats()["events"]["unindexed_property_queries"] == 1


@pytest.mark.parametrize("jql", ["", "ORDER BY key", "project = ", "nosuchfield = 1", "project ~ UWEC"])
def test_invalid_jql_is_a_user_error(jira: JiraClient, jql: str) -> None:
    with pytest.raises(JiraError) as raised:
        list(jira.search(jql))
    assert (raised.value.kind, raised.value.status) == ("user", 400)


def test_search_lags_until_reconciled(site: Site, jira: JiraClient) -> None:
    site.settings(index_delay_s=3600)
    created = jira.create_issue(issue("fresh"))
    assert list(jira.search(BATCH_JQL)) == []
    assert [f.key for f in jira.search(BATCH_JQL, reconcile_ids=[int(created.id)])] == [created.key]


def test_the_index_catches_up_with_each_issue_after_its_own_random_lag(site: Site, jira: JiraClient) -> None:
    """Not in creation order and not all at once: an empty or partial answer proves nothing."""
    from sandbox.search import indexed_at

    site.settings(index_lag_s=3600)
    made = jira.bulk_create([issue(f"t{i}") for i in range(20)]).created
    stored = {i.key: i for i in site.sandbox.state.store.issues()}
    ready = [indexed_at(stored[c.key], 0, 3600) - stored[c.key].created for c in made]
    assert len(set(ready)) == 20 and max(ready) - min(ready) > 600  # each its own lag, spread out
    assert [indexed_at(stored[c.key], 0, 3600) for c in made] == [
        indexed_at(stored[c.key], 0, 3600) for c in made
    ]
    assert list(jira.search(BATCH_JQL)) == []  # the shortest lag here is minutes away
    assert len(jira.bulk_fetch([c.key for c in made]).issues) == 20
    site.settings(index_lag_s=0)
    assert len(list(jira.search(BATCH_JQL))) == 20
