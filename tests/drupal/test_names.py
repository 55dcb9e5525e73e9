from __future__ import annotations

import pytest

from ticketgen.drupal.names import (
    BUNDLE_MAX,
    CONFIG_ID_MAX,
    FIELD_NAME_MAX,
    length_problem,
    machine_name_problem,
    suggest,
    suggest_field_name,
)


def test_limits_are_drupals() -> None:
    assert (FIELD_NAME_MAX, BUNDLE_MAX, CONFIG_ID_MAX) == (32, 32, 166)


@pytest.mark.parametrize("name", ["field_job_id", "banner_1_5x", "a", "_x_", "2x"])
def test_valid_machine_names_pass(name: str) -> None:
    assert machine_name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "named"),
    [
        ("banner_tablet_non-webp", ["'-'"]),
        ("Field Name", ["upper-case letters", "spaces"]),
        ("a.b", ["'.'"]),
        ("café", ["'é'"]),
    ],
)
def test_invalid_machine_names_say_which_characters(name: str, named: list[str]) -> None:
    problem = machine_name_problem(name)
    assert problem is not None
    for part in named:
        assert part in problem
    assert "lower-case letters, digits and _" in problem


def test_empty_machine_name_is_a_problem() -> None:
    assert machine_name_problem("") is not None


def test_length_limits_count_the_field_prefix() -> None:
    assert length_problem("field_" + "x" * 26, what="field") is None
    problem = length_problem("field_" + "x" * 27, what="field")
    assert problem is not None
    assert "33" in problem
    assert "32" in problem
    assert "field_" in problem


@pytest.mark.parametrize(("what", "limit"), [("bundle", 32), ("config", 166)])
def test_length_limits_per_kind(what: str, limit: int) -> None:
    assert length_problem("x" * limit, what=what) is None
    assert str(limit) in (length_problem("x" * (limit + 1), what=what) or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("banner_tablet_non-webp", "banner_tablet_non_webp"),
        ("Banner 1.5x (non-WebP)", "banner_1_5x_non_webp"),
        ("  Café au lait ", "cafe_au_lait"),
        ("already_fine", "already_fine"),
    ],
)
def test_suggest_gives_a_name_drupal_keeps(text: str, expected: str) -> None:
    assert suggest(text) == expected
    assert machine_name_problem(suggest(text)) is None


def test_suggest_field_name_adds_prefix_and_fits() -> None:
    assert suggest_field_name("Job ID") == "field_job_id"
    assert suggest_field_name("field_job_id") == "field_job_id"
    long_name = suggest_field_name("A very long label that goes on and on and on")
    assert long_name.startswith("field_")
    assert length_problem(long_name, what="field") is None
    assert not long_name.endswith("_")
