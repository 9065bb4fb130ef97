"""Faults (issue 18, item 3), every test here marked ``faults``: ``pytest -m faults`` runs only them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sharing.conftest import care_office, cm, patient  # noqa: F401 (fixtures for the upload test)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.faults)
