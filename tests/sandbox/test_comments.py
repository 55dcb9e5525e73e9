"""Client ↔ sandbox contract for what a re-sync writes to existing issues: comments (with the entity
property that marks them), labels added with `update.labels`, and links deleted."""

from __future__ import annotations

import pytest
import requests

from app.jira import JiraClient, JiraError

from .conftest import Site
from .helpers import adf, issue


def test_a_comment_keeps_its_marker_and_a_second_post_is_a_second_comment(jira: JiraClient) -> None:
    created = jira.create_issue(issue("Content type: Article", draft="ct-article"))
    marker = {"ticketgen-resync": {"batchId": "b1", "step": "comment:ct-article"}}
    first = jira.add_comment(created.key, adf("The spec changed."), properties=marker)
    jira.add_comment(created.key, adf("The spec changed."), properties=marker)
    found = list(jira.comments(created.key, page_size=1))  # one per page: the pages are followed
    assert found[0]["id"] == first and len(found) == 2, "Jira does not deduplicate comments"
    assert found[0]["body"] == adf("The spec changed.")
    assert found[0]["properties"] == [{"key": "ticketgen-resync", "value": marker["ticketgen-resync"]}]


def test_a_comment_jira_refuses(site: Site, jira: JiraClient) -> None:
    created = jira.create_issue(issue("Content type: Page", draft="ct-page"))
    empty = {"type": "doc", "version": 1, "content": []}
    with pytest.raises(JiraError) as raised:
        jira.add_comment(created.key, empty)
    assert raised.value.status == 400 and raised.value.errors == {"comment": "Comment body can not be empty!"}
    with pytest.raises(JiraError) as missing:
        jira.add_comment("UWEC-999", adf("x"))
    assert missing.value.status == 404
    plain = requests.get(f"{site.base_url}/rest/api/3/issue/{created.key}/comment", timeout=5)
    assert plain.status_code == 401


def test_labels_are_added_without_touching_the_others_and_adding_twice_changes_nothing(
    jira: JiraClient,
) -> None:
    created = jira.create_issue(issue("Content type: Event", draft="ct-event"))
    jira.add_labels(created.key, ["spec-changed"])
    jira.add_labels(created.key, ["spec-changed"])
    assert jira.get_issue(created.key)["fields"]["labels"] == ["drupal-spec", "spec-changed"]
    with pytest.raises(JiraError) as raised:
        jira.add_labels(created.key, ["has space"])
    assert raised.value.status == 400 and "labels" in raised.value.errors


def test_a_link_is_deleted_once_and_a_second_delete_is_told_it_is_gone(jira: JiraClient) -> None:
    blocker = jira.create_issue(issue("Content type: Tag", draft="ct-tag"))
    blocked = jira.create_issue(issue("View: Tags", draft="view-tags"))
    jira.create_link(link_type="Blocks", inward_key=blocker.key, outward_key=blocked.key)
    (entry,) = jira.issue_links(blocked.key)
    assert entry["inwardIssue"]["key"] == blocker.key
    assert jira.delete_link(entry["id"]) is True
    assert jira.issue_links(blocked.key) == [] and jira.issue_links(blocker.key) == []
    assert jira.delete_link(entry["id"]) is False
    with pytest.raises(JiraError) as raised:
        jira.delete_link("not-an-id")
    assert raised.value.status == 400
