"""Issue 13, defect 1: the spec is read in a child process whose memory and time are bounded, so a costly
upload costs the child, never the server, and the user is told which limit was hit."""

from __future__ import annotations

import os

import pytest

from bench._utils import junk_rows_csv
from jobs.isolated import TooCostly, run_isolated
from ticketgen.review.editor_text import english_words
from ticketgen.spec.summary import CheckSummary, check


def spin() -> None:
    while True:
        pass


def hoard() -> list[bytes]:
    kept = []
    while True:
        kept.append(b"x" * (16 * 1024 * 1024))


def fail() -> None:
    raise ValueError("broken on purpose")


def word_list_loaded() -> bool:
    return english_words.cache_info().currsize == 1


async def test_the_check_runs_in_another_process_and_returns_a_bounded_summary() -> None:
    summary = await run_isolated(check, [("junk.csv", junk_rows_csv())])
    assert isinstance(summary, CheckSummary)
    assert summary.files[0].row_count == 5_000 and summary.has_errors
    assert len(summary.findings) < 1_000
    assert await run_isolated(os.getpid) != os.getpid()


async def test_each_child_starts_with_the_static_data_its_forkserver_loaded_once() -> None:
    """The English word list took 0.2 s of every upload's check when each child loaded it again."""
    assert await run_isolated(word_list_loaded)


async def test_past_its_time_the_child_is_killed_and_the_user_told() -> None:
    with pytest.raises(TooCostly, match=r"longer than 1 s, the limit"):
        await run_isolated(spin, time_limit_s=1)


async def test_past_its_memory_the_child_stops_and_the_user_is_told() -> None:
    with pytest.raises(TooCostly, match=r"more than 300 MB, the limit"):
        await run_isolated(hoard, memory_mb=300)


async def test_a_bug_in_the_child_is_an_error_of_ours_not_a_limit() -> None:
    with pytest.raises(RuntimeError, match="broken on purpose"):
        await run_isolated(fail)
