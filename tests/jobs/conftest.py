"""Fixtures: a fresh sandbox Jira and database per test, and a Redis namespace of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.conftest import REDIS_URL

from .world import World, open_sandbox, uwec_drafts


@pytest.fixture(scope="session")
def redis_server() -> None:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as exc:
        pytest.fail(
            f"tests/jobs need Redis at {REDIS_URL} (run `bash scripts/services.sh` or `make test`): {exc}"
        )


@pytest.fixture(scope="session")
def uwec() -> list:
    return uwec_drafts()


@pytest.fixture
def world(tmp_path: Path, redis_server: None) -> Iterator[World]:
    site = open_sandbox(tmp_path / "sandbox")
    world = World(data_dir=tmp_path, site=site)
    world.install()
    try:
        yield world
    finally:
        site.close()
        world.flush_redis()
