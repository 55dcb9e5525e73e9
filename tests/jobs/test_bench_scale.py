"""`bench/bench_scale.py --quick` as `make test` runs it: two tenants, each with its own sandbox site, export
at once through two real `ticketgen worker` processes on PostgreSQL, with 429s from both sites, in both link
modes; every issue is in its tenant's Jira exactly once (the bench checks each one and stops otherwise)."""

from __future__ import annotations

import pytest

from bench import bench_scale

pytestmark = pytest.mark.slow


def test_the_quick_scale_run_creates_every_issue_exactly_once(
    redis_server: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench_scale.main(["--quick"]) == 0
    out = capsys.readouterr().out
    for mode, _ in bench_scale.MODES:
        assert f"BENCH scale_2x2_{mode}_wall " in out, out
        assert f"BENCH scale_2x2_{mode}_running_at_start " in out, out
    assert "every issue exactly once in every tenant's Jira: 2 configurations checked" in out
