from __future__ import annotations

import pytest


@pytest.fixture
def region(db):
    from renkei.core.models import Region

    return Region.objects.get(slug="hachinohe")
