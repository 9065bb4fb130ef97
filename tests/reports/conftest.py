from __future__ import annotations

import pytest

from renkei.core.models import Organization, Region, User
from tests.conftest import make_user


@pytest.fixture
def region(db) -> Region:
    return Region.objects.get(slug="hachinohe")


@pytest.fixture
def shingo_staff(db) -> User:
    """Staff of the 新郷村 office: edit 新郷村's answers only."""
    office = Organization.objects.create(
        name="新郷村役場 テスト係", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality_id=_pk("024503")
    )
    return make_user("shingo", office, User.Role.MUNICIPALITY_STAFF, full_name="新郷 テスト")


def _pk(code: str) -> int:
    from renkei.core.models import Municipality

    return Municipality.objects.get(code=code).pk
