"""Fault injection as the client sees it: rate limits, 5xx bursts, timeouts, dropped responses."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from app.jira import JiraClient, JiraError, RateLimited
from app.jira.ratelimit import JiraRequest, RateSignal

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


def test_a_held_request_goes_on_when_its_latency_rule_is_removed(site: Site, jira: JiraClient) -> None:
    """A hang that a test ends when it is ready, instead of guessing how long to hold."""
    site.fault(kind="latency", seconds=300, path="/rest/api/3/project/*")
    answer: list[str] = []
    held = threading.Thread(target=lambda: answer.append(jira.get_project("UWEC").key))
    held.start()
    deadline = time.monotonic() + 30
    while not site.stats()["faults_applied"]:
        assert time.monotonic() < deadline, "the request never arrived"
        time.sleep(0.02)
    assert not answer, "held while the rule is there"
    site.clear_faults()
    held.join(timeout=30)
    assert answer == ["UWEC"]


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


class Heard:
    """A client limiter that only listens: the rate-limit headers of every answer."""

    def __init__(self) -> None:
        self.signals: list[tuple[str, RateSignal]] = []

    def before(self, request: JiraRequest) -> None:
        return None

    def after(self, request: JiraRequest, signal: RateSignal) -> None:
        self.signals.append((request.endpoint, signal))


def test_the_hourly_quota_counts_every_answer_and_refuses_with_a_long_retry_after(
    site: Site, jira: JiraClient
) -> None:
    site.fault(kind="quota", points=5)  # the real window: an hour
    heard = Heard()
    jira.limiter = heard
    for _ in range(5):
        jira.get_project("UWEC")
    with pytest.raises(RateLimited) as raised:
        jira.link_types()
    quota = raised.value
    assert quota.reason == "jira-quota-tenant-based" and 3500 < quota.retry_after_s <= 3600
    assert quota.signal is not None and quota.signal.remaining == 0 and quota.signal.scope == "tenant"
    answers = [s for _, s in heard.signals]
    assert [s.remaining for s in answers] == [4, 3, 2, 1, 0, 0]
    assert all(s.quota == 5 and s.window_s == 3600 for s in answers[:5])
    assert [s.near_limit for s in answers[:5]] == [False, False, False, False, True]  # under 20% left
    assert site.stats()["faults_applied"] == {"quota": 1}


def test_a_quota_window_of_seconds_resets_and_a_429_without_retry_after_names_the_reset(
    site: Site, jira: JiraClient
) -> None:
    site.fault(kind="quota", points=1, window=0.5, omit_retry_after=True)
    jira.get_project("UWEC")
    with pytest.raises(RateLimited) as raised:
        jira.get_project("UWEC")
    signal = raised.value.signal
    assert signal is not None and signal.retry_after_s is None and signal.reset_in_s is not None
    assert signal.wait_s is not None and signal.wait_s <= 1
    deadline = time.monotonic() + 10
    while True:  # the next window lets the request through (waiting on the condition, not a fixed time)
        try:
            jira.get_project("UWEC")
            break
        except RateLimited:
            assert time.monotonic() < deadline, "the quota window never reset"
            time.sleep(0.05)


def test_burst_limits_are_per_endpoint(site: Site, jira: JiraClient) -> None:
    site.fault(kind="rate_limit", rate=0.01, burst=1)
    jira.get_project("UWEC")
    jira.link_types()  # another endpoint has a bucket of its own
    with pytest.raises(RateLimited) as raised:
        jira.get_project("UWEC")
    assert raised.value.endpoint == "GET /rest/api/3/project/{project}"
    assert raised.value.signal is not None and raised.value.signal.scope == "endpoint"


def test_per_issue_write_limits_refuse_writes_to_that_issue_only(site: Site, jira: JiraClient) -> None:
    made = jira.bulk_create([issue("p1"), issue("p2")]).created
    first, second = made[0].key, made[1].key
    site.fault(kind="issue_write", rate=0.01, burst=1, omit_retry_after=True)
    jira.set_property(first, "k", {"v": 1})
    jira.set_property(second, "k", {"v": 1})
    jira.get_property(first, "k")  # reads are not counted
    with pytest.raises(RateLimited) as raised:
        jira.set_property(first, "k", {"v": 2})
    limited = raised.value
    assert limited.reason == "jira-per-issue-on-write" and limited.issues == (first,)
    assert limited.signal is not None and limited.signal.retry_after_s is None
    assert jira.get_property(first, "k") == {"v": 1}  # refused: nothing done


def test_limit_settings_are_checked(site: Site) -> None:
    for bad in ({"kind": "quota", "points": 0}, {"kind": "quota", "window": 0}, {"kind": "quota", "hour": 1}):
        answer = requests.post(f"{site.base_url}/admin/faults", json=bad, timeout=10)
        assert answer.status_code == 400 and answer.json()["error"]
