"""The libraries the README and the code name are pinned to the major version the suite runs against: a
fresh install must not pick up a major the code was never tested with (`atlassian-python-api` 4.x lacks
the method names `app/jira/client.py` calls)."""

from __future__ import annotations

import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from tests.conftest import ROOT

PINNED = (
    "atlassian-python-api",
    "anthropic",
    "slack-sdk",
    "slack-bolt",
    "dramatiq",
    "starlette",
    "jinja2",
    "sqlalchemy",
    "alembic",
    "asyncpg",
    "redis",
)


def _requirements() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = (Requirement(line) for line in project["dependencies"])
    return {r.name.lower(): r for r in found}


@pytest.mark.parametrize("name", PINNED)
def test_pinned_to_the_major_tested(name: str) -> None:
    requirement = _requirements()[name]
    installed = Version(version(name))
    assert requirement.specifier.contains(installed), (str(requirement), installed)
    next_major = Version(f"{installed.major + 1}")
    assert not requirement.specifier.contains(next_major), f"{requirement} lets {next_major} in"


def test_atlassian_python_api_is_5_0_5_or_later_5x() -> None:
    specifier = _requirements()["atlassian-python-api"].specifier
    assert [v for v in ("4.0.7", "5.0.4", "5.0.5", "5.9.0", "6.0.0") if specifier.contains(v)] == [
        "5.0.5",
        "5.9.0",
    ]
