"""The contract suite runs every test once per backend case (``cases.CASES``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.cases import CASES, Case
from tests.contract.rig import Rig


@pytest.fixture(params=CASES, ids=lambda c: c.name)
def case(request: pytest.FixtureRequest) -> Case:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def rig(case: Case, tmp_path: Path) -> Iterator[Rig]:
    made = case.rig(tmp_path)
    yield made
    made.journal.close()
