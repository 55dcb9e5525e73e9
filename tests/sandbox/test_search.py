"""JQL search on indexed issue properties, paging, and Jira's eventual consistency."""

from __future__ import annotations

import pytest

from app.jira import JiraClient, JiraError, jql_string

from .conftest import Site
from .helpers import issue

BATCH_JQL = 'project = UWEC AND issue.property[ticketgen].batchId = "b1"'


def test_finds_created_issues_by_property(jira: JiraClient) -> None:
    result = jira.bulk_create([issue(f"t{i}", draft=f"d{i}") for i in range(5)])
    jira.create_issue(issue("other batch", batch="b2"))
    found = list(jira.search(BATCH_JQL, properties=["ticketgen"]))
    assert [f.key for f in found] == [c.key for _, c in sorted(result.created.items())]
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
