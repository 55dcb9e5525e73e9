from __future__ import annotations

import pytest

from tests.spec.csvedit import Batch
from ticketgen.spec import Spec

BUNDLES = "UWEC_Bundles.csv"
FIELDS = "UWEC_Fields.csv"
VIEWS = "UWEC_CustomViews.csv"
DISPLAYS = "UWEC_CustomViewsDisplays.csv"
VIEW_MODES = "UWEC_CustomViewModes.csv"
IMAGE_STYLES = "UWEC_Imagestyles.csv"
RESPONSIVE = "UWEC_ResponsiveImageStyles.csv"
ROLES = "UWEC_Userroles.csv"
WORKFLOWS = "UWEC_Workflows.csv"
STATES = "UWEC_Workflowstates.csv"
TRANSITIONS = "UWEC_Workflowtransitions.csv"


@pytest.fixture(scope="session")
def uwec(uwec_files: list[tuple[str, bytes]]) -> Batch:
    return Batch(uwec_files)


@pytest.fixture(scope="session")
def baseline(uwec: Batch) -> Spec:
    return uwec.load()
