from __future__ import annotations

from pathlib import Path

import pytest

from ticketgen.planner import Plan, plan
from ticketgen.spec import load_dir
from ticketgen.spec.model import Spec


@pytest.fixture(scope="session")
def uwec_spec(uwec_dir: Path) -> Spec:
    spec = load_dir(uwec_dir)
    assert not spec.errors, [f.message for f in spec.errors]
    return spec


@pytest.fixture(scope="session")
def uwec_plan(uwec_spec: Spec) -> Plan:
    return plan(uwec_spec)
