"""UWEC as exported, and the revised UWEC's plan against it, computed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import UWEC
from tests.resync.revise import revise_uwec
from ticketgen.drafts.model import Draft
from ticketgen.resync import Exported, ResyncPlan
from ticketgen.resync.between import plan_against, records_of, template_drafts
from ticketgen.spec import load_dir
from ticketgen.spec.model import Spec


@pytest.fixture(scope="session")
def uwec_spec() -> Spec:
    return load_dir(UWEC)


@pytest.fixture(scope="session")
def uwec_drafts(uwec_spec: Spec) -> list[Draft]:
    return template_drafts(uwec_spec)


@pytest.fixture(scope="session")
def uwec_records(uwec_spec: Spec, uwec_drafts: list[Draft]) -> dict[str, Exported]:
    return records_of(uwec_spec, uwec_drafts)


@pytest.fixture(scope="session")
def revised_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return revise_uwec(tmp_path_factory.mktemp("resync") / "uwec-revised")


@pytest.fixture(scope="session")
def revised_spec(revised_dir: Path) -> Spec:
    spec = load_dir(revised_dir)
    assert not spec.has_errors, spec.errors[:3]
    return spec


@pytest.fixture(scope="session")
def revised_plan(uwec_records: dict[str, Exported], revised_spec: Spec) -> ResyncPlan:
    return plan_against(uwec_records, revised_spec)
