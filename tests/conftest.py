from __future__ import annotations

import shutil

import pytest
from django.conf import settings
from django.core.cache import caches

from renkei.core.models import Municipality, Organization, User

pytest_plugins = ["tests.directory.search_fixtures"]

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _empty_public_cache():
    """The anonymous page cache lives in process memory, while each test's rows are rolled back."""
    caches["public"].clear()


@pytest.fixture(scope="session", autouse=True)
def _clean_var_dir():
    yield
    shutil.rmtree(settings.VAR_DIR, ignore_errors=True)


@pytest.fixture
def region_data(transactional_db):
    """For transactional tests (live server): the region as the migration made it, even after an
    earlier transactional test emptied the tables."""
    from renkei.core.models import Region
    from renkei.core.seed import ensure_hachinohe_region

    return ensure_hachinohe_region(Region, Municipality)


@pytest.fixture
def hachinohe(db) -> Municipality:
    return Municipality.objects.get(code="022039")


@pytest.fixture
def gonohe(db) -> Municipality:
    return Municipality.objects.get(code="024422")


def make_user(username: str, organization: Organization, role: str, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        organization=organization,
        role=role,
        full_name=extra.pop("full_name", username),
        **extra,
    )
    return user


@pytest.fixture
def alice(hachinohe) -> User:
    """Alice administers the 八戸 region for the 医師会."""
    association = Organization.objects.create(
        name="テスト医師会", kind=Organization.Kind.MEDICAL_ASSOCIATION, municipality=hachinohe
    )
    return make_user("alice", association, User.Role.REGION_ADMIN, full_name="青森 アリス")


@pytest.fixture
def bob(gonohe) -> User:
    """Bob is municipality staff of 五戸町."""
    office = Organization.objects.create(
        name="五戸町役場 テスト課", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=gonohe
    )
    return make_user("bob", office, User.Role.MUNICIPALITY_STAFF, full_name="五戸 ボブ")


@pytest.fixture
def carol(hachinohe) -> User:
    """Carol is a visiting nurse in 八戸市."""
    station = Organization.objects.create(
        name="テスト訪問看護ステーション",
        kind=Organization.Kind.VISITING_NURSE_STATION,
        municipality=hachinohe,
    )
    return make_user(
        "carol", station, User.Role.PROFESSIONAL, profession=User.Profession.NURSE, full_name="八戸 キャロル"
    )
