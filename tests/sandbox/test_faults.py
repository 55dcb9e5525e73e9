"""Fault injection as the client sees it: rate limits, 5xx bursts, timeouts, dropped responses."""

from __future__ import annotations

import pytest
import requests

from app.jira import JiraClient, JiraError, RateLimited

from .conftest import Site
from .helpers import issue

BULK = "/rest/api/3/issue/bulk"


def _drafts_in_jira(jira: JiraClient) -> list[str]:
    return [
        f.properties["ticketgen"]["draftKey"]
        for f in jira.search('issue.property[ticketgen].batchId = "b1"', properties=["ticketgen"])
    ]


def test_rate_limit_gives_retry_after_and_headers(site: Site, jira: JiraClient) -> None:
    site.fault(kind="rate_limit", rate=0.5, burst=2)
    jira.get_project("UWEC")
    jira.get_project("UWEC")
    with pytest.raises(RateLimited) as raised:
        jira.get_project("UWEC")
    limited = raised.value
    assert (limited.kind, limited.status, limited.retry_after_s) == ("temporary", 429, 2.0)
    assert (limited.limit, limited.remaining, limited.reason) == (2, 0, "jira-burst-based")
    assert limited.reset and limited.reset.endswith("Z")
    stats = site.stats()
    assert stats["requests"]["GET /rest/api/3/project/{project}"]["statuses"] == {"200": 2, "429": 1}
    assert stats["faults_applied"] == {"rate_limit": 1}


def test_rate_limited_request_does_nothing(site: Site, jira: JiraClient) -> None:
    site.fault(kind="rate_limit", rate=0.01, burst=1, path=BULK)
    jira.bulk_create([issue("a")])
    with pytest.raises(RateLimited):
        jira.bulk_create([issue("b")])
    jira.get_project("UWEC")  # other endpoints are not targeted
    assert _drafts_in_jira(jira) == ["a"]


def test_error_burst_then_recovery(site: Site, jira: JiraClient) -> None:
    site.fault(kind="error", status=500, count=2, method="POST")
    for _ in range(2):
        with pytest.raises(JiraError) as raised:
            jira.create_issue(issue("x"))
        assert (raised.value.kind, raised.value.status, raised.value.outcome_unknown) == (
            "temporary",
            500,
            False,
        )
    jira.create_issue(issue("x"))
    assert _drafts_in_jira(jira) == ["x"]


def test_503_with_retry_after_is_rate_limited(site: Site, jira: JiraClient) -> None:
    site.fault(kind="error", status=503, retry_after=7, count=1)
    with pytest.raises(RateLimited) as raised:
        jira.get_project("UWEC")
    assert (raised.value.status, raised.value.retry_after_s) == (503, 7.0)


def test_skip_lets_the_first_requests_through(site: Site, jira: JiraClient) -> None:
    site.fault(kind="error", status=502, skip=1, count=1, path=BULK)
    jira.bulk_create([issue("first")])
    with pytest.raises(JiraError):
        jira.bulk_create([issue("second")])
    jira.bulk_create([issue("third")])
    assert _drafts_in_jira(jira) == ["first", "third"]


def test_timeout_after_commit_leaves_the_outcome_unknown(site: Site, jira: JiraClient) -> None:
    site.fault(kind="timeout", seconds=3, path=BULK, count=1)
    with site.client(timeout_s=1) as client:
        with pytest.raises(JiraError) as raised:
            client.bulk_create([issue("slow")])
        assert (raised.value.kind, raised.value.outcome_unknown) == ("temporary", True)
        assert _drafts_in_jira(client) == ["slow"]  # committed: the export must look before retrying


def test_timeout_without_commit(site: Site, jira: JiraClient) -> None:
    site.fault(kind="timeout", seconds=2, path=BULK, count=1, commit=False)
    with site.client(timeout_s=1) as client:
        with pytest.raises(JiraError) as raised:
            client.bulk_create([issue("never")])
        assert raised.value.outcome_unknown
        assert _drafts_in_jira(client) == []


def test_drop_after_commit(site: Site, jira: JiraClient) -> None:
    site.fault(kind="drop", path=BULK, count=1)
    with pytest.raises(JiraError) as raised:
        jira.bulk_create([issue("d1"), issue("d2")])
    assert (raised.value.kind, raised.value.status, raised.value.outcome_unknown) == ("temporary", None, True)
    assert _drafts_in_jira(jira) == ["d1", "d2"]
    assert site.stats()["requests"]["POST /rest/api/3/issue/bulk"]["statuses"] == {"dropped": 1}
    jira.bulk_create([issue("d3")])  # the rule was used up
    assert len(_drafts_in_jira(jira)) == 3


def test_latency_is_applied_and_counted(site: Site, jira: JiraClient) -> None:
    site.fault(kind="latency", seconds=0.2)
    jira.get_project("UWEC")
    assert site.stats()["faults_applied"] == {"latency": 1}


def test_admin_fault_endpoints(site: Site, jira: JiraClient) -> None:
    rule = site.fault(kind="error", status=500, path="/rest/api/3/project/*")
    assert rule["id"] > 0 and rule["path"] == "/rest/api/3/project/*"
    assert [r["id"] for r in site.admin_call("GET", "faults")["faults"]] == [rule["id"]]
    bad = requests.post(f"{site.base_url}/admin/faults", json={"kind": "meteor"}, timeout=10)
    assert bad.status_code == 400 and "kind" in bad.json()["error"]
    assert requests.delete(f"{site.base_url}/admin/faults/{rule['id']}", timeout=10).json() == {"removed": 1}
    site.fault(kind="error", status=500)
    assert site.admin_call("DELETE", "faults") == {"removed": 1}
    jira.get_project("UWEC")


def test_stats_count_duplicates(site: Site, jira: JiraClient) -> None:
    jira.bulk_create([issue("same", draft="k1"), issue("same", draft="k1"), issue("other", draft="k2")])
    stats = site.stats()
    assert stats["duplicates"] == {"by_property": 1, "by_summary": 1}
    assert stats["stored"]["issues"] == 3
    assert stats["requests"]["POST /rest/api/3/issue/bulk"] == {"count": 1, "statuses": {"201": 1}}
