"""Shared fixtures. Services (Redis, PostgreSQL) are started by `make test` (scripts/services.sh)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI explores the same examples on every run, so a red build always names a change, never a lucky draw;
# locally every run explores new ones (and a failure found there becomes a plain reproducer test).
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# `make test` runs the suite on two pytest-xdist workers. Tests that run real worker processes against the
# sandbox (marked slow) or a browser (e2e) stay together on one of them, one at a time, as they ran before:
# their timeouts were set for one such export at a time, and the other worker's tests are pure CPU.
SERIAL_GROUP = "real-processes"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("slow") or item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group(SERIAL_GROUP))


ROOT = Path(__file__).resolve().parent.parent
UWEC = ROOT / "examples" / "uwec"
CONTRACTS = Path(__file__).resolve().parent / "contracts"

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture(scope="session")
def uwec_dir() -> Path:
    return UWEC


@pytest.fixture(scope="session")
def uwec_files() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(UWEC.glob("*.csv"))]
