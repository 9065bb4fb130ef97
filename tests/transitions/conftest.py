"""A care team (tests.sharing's fixtures) and a hospital with its 地域連携室 on Renkei.

People: ``cm`` (care manager, owns the patient's record), ``carol`` (visiting nurse, invited),
``cm_colleague`` (same office, not on the team), ``liaison`` (地域連携室 of テスト市民病院),
``alice`` (region administrator)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from renkei.core.models import Organization, User
from renkei.directory.catalog import Category
from renkei.directory.models import Facility
from renkei.transitions import services
from tests.conftest import make_user
from tests.sharing.conftest import care_office, cm, cm_colleague, patient  # noqa: F401

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TOKYO)


@pytest.fixture
def hospital_org(hachinohe) -> Organization:
    return Organization.objects.create(
        name="テスト市民病院", kind=Organization.Kind.HOSPITAL, municipality=hachinohe
    )


@pytest.fixture
def hospital(hachinohe, hospital_org) -> Facility:
    return Facility.objects.create(
        name="テスト市民病院", category=Category.HOSPITAL, municipality=hachinohe, organization=hospital_org
    )


@pytest.fixture
def liaison(hospital_org) -> User:
    return make_user(
        "liaison",
        hospital_org,
        User.Role.PROFESSIONAL,
        profession=User.Profession.SOCIAL_WORKER,
        full_name="連携 花子",
        email="liaison@example.invalid",
    )


def admit(actor, who, when: datetime, **data):
    values = {"hospital_name": "テスト市民病院", "admitted_at": when, "status": "admitted", **data}
    return services.create_episode(actor, who.pk, values)
