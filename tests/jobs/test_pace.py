"""Unit: the pacing decisions of `jobs.pace`, one answer at a time, on a clock the test moves."""

from __future__ import annotations

import pytest

from app.jira.ratelimit import BURST, PER_ISSUE, QUOTA, JiraRequest, RateSignal
from jobs import pace
from jobs.pace import BACKOFF_CAP_S, MAX_INLINE_WAIT_S, TENANT, Pace

BULK = JiraRequest("POST /rest/api/3/issue/bulk")
LINK = JiraRequest("POST /rest/api/3/issueLink", ("UWEC-1", "UWEC-2"))
PROPERTY = JiraRequest("PUT /rest/api/3/issue/{issue}/properties/{key}", ("UWEC-1",))
OTHER_PROPERTY = JiraRequest("PUT /rest/api/3/issue/{issue}/properties/{key}", ("UWEC-7",))


def wait_for(limits: pace.Limits, request: JiraRequest, now: float) -> float:
    (wait, _reason, _settle), _ = pace.reserve(limits, pace.scopes(request), now)
    return wait


def limit(limits: pace.Limits, request: JiraRequest, signal: RateSignal, now: float = 0.0) -> dict[str, Pace]:
    _wait, changed = pace.limited(limits, request, signal, now, lambda: 1.0)
    return changed


def test_a_burst_limit_slows_only_its_endpoint() -> None:
    limits = limit({}, BULK, RateSignal(429, reason=BURST, retry_after_s=3))
    assert wait_for(limits, BULK, 1.0) == pytest.approx(2.0)
    assert wait_for(limits, LINK, 1.0) == 0  # another endpoint, the same tenant: not held back
    assert limits[TENANT].blocked_until == 0


def test_a_per_issue_write_limit_slows_only_that_issue() -> None:
    limits = limit({}, PROPERTY, RateSignal(429, reason=PER_ISSUE, retry_after_s=5))
    assert wait_for(limits, PROPERTY, 0.0) == 5
    assert wait_for(limits, OTHER_PROPERTY, 0.0) == 0  # the same endpoint, another issue
    assert wait_for(limits, LINK, 0.0) == 5  # a link writes UWEC-1 too
    # a request that names no issue: the endpoint is what can be slowed
    assert "endpoint:POST /rest/api/3/issue/bulk" in limit({}, BULK, RateSignal(429, reason=PER_ISSUE))


def test_without_a_named_time_the_backoff_doubles_with_jitter_up_to_a_cap() -> None:
    waits, limits = [], {}
    for n in range(12):
        now = 100.0 * n
        wait, limits = pace.limited(limits, BULK, RateSignal(429, reason=BURST), now, lambda: 1.0)
        waits.append(wait)
    assert waits[:4] == [1.0, 2.0, 4.0, 8.0]
    assert max(waits) == BACKOFF_CAP_S and waits[-1] == BACKOFF_CAP_S
    low, _ = pace.limited(limits, BULK, RateSignal(429, reason=BURST), 0, lambda: 0.0)
    assert low == BACKOFF_CAP_S / 2  # jitter: between half and all of the step
    _, settled = pace.answered(limits, BULK, RateSignal(200), 2000.0, 1.0)
    again, _ = pace.limited(settled, BULK, RateSignal(429, reason=BURST), 2000.0, lambda: 1.0)
    assert again == 1.0  # a success starts the doubling over


def test_the_reset_jira_names_is_honoured_and_an_exhausted_quota_is_waited_out_once() -> None:
    wait, limits = pace.limited({}, BULK, RateSignal(429, reason=QUOTA, reset_in_s=1800), 0.0, lambda: 1.0)
    assert wait == 1800
    for now in (1.0, 600.0, 1790.0):  # asking again sends nothing and changes nothing
        (left, reason, _), after = pace.reserve(limits, pace.scopes(LINK), now)
        assert left == pytest.approx(1800 - now) and reason == QUOTA and after == limits
    assert wait_for(limits, LINK, 1800.0) == 0
    # a 2xx that spends the last point blocks the tenant before Jira has to refuse anything
    _, blocked = pace.answered({}, BULK, RateSignal(200, reason=QUOTA, remaining=0, reset_in_s=60), 0.0, 1.0)
    (left, reason, _), _ = pace.reserve(blocked, pace.scopes(LINK), 0.0)
    assert left == 60 and reason == QUOTA


def test_an_answer_near_the_limit_slows_down_before_the_429_and_a_plain_one_lets_go() -> None:
    near = RateSignal(200, reason=QUOTA, remaining=50, reset_in_s=10, quota=1000, near_limit=True)
    _, limits = pace.answered({}, BULK, near, 0.0, 1.0)
    assert limits[TENANT].interval == pytest.approx(0.2)  # 50 points over 10 s
    first = wait_for(limits, LINK, 0.0)
    _, limits = pace.reserve(limits, pace.scopes(LINK), 0.0)
    assert first == 0 and wait_for(limits, LINK, 0.0) == pytest.approx(0.2)
    (_, _, settle), _ = pace.reserve(limits, pace.scopes(LINK), 0.0)
    assert settle  # the success must be reported back to clear the pace
    _, relaxed = pace.answered(limits, LINK, RateSignal(200), 1.0, 1.0)
    assert relaxed[TENANT].interval == 0 and wait_for(relaxed, LINK, 1.0) == 0
    flagged_only = RateSignal(200, near_limit=True)  # no counts to spread: a modest fixed pace
    _, limits = pace.answered({}, BULK, flagged_only, 0.0, 1.0)
    assert 0 < limits[TENANT].interval <= MAX_INLINE_WAIT_S


def test_a_reported_limit_is_not_read_as_a_rate() -> None:
    limits = limit({}, BULK, RateSignal(429, retry_after_s=1))  # X-RateLimit-Limit: 350 says nothing here
    assert all(p.interval == 0 for p in limits.values())
    assert wait_for(limits, BULK, 1.0) == 0


def test_a_burst_limited_endpoint_keeps_a_pace_that_eases_with_successes() -> None:
    limits = limit({}, BULK, RateSignal(429, reason=BURST, retry_after_s=1))
    first = limits[f"endpoint:{BULK.endpoint}"].interval
    limits = limit(limits, BULK, RateSignal(429, reason=BURST, retry_after_s=1), now=1.0)
    assert limits[f"endpoint:{BULK.endpoint}"].interval == pytest.approx(1.5 * first)
    assert f"endpoint:{LINK.endpoint}" not in limits and limits[TENANT].interval == 0
    for n in range(200):
        _, limits = pace.answered(limits, BULK, RateSignal(200), 2.0 + n, 1.0)
        if n == 0:
            assert 0 < limits[f"endpoint:{BULK.endpoint}"].interval < 1.5 * first
    assert f"endpoint:{BULK.endpoint}" not in limits  # eased off entirely, then forgotten
