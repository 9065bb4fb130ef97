from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from renkei.consultations.models import Consultation, ConsultationCategory
from renkei.core.models import Organization, Region, User
from tests.conftest import make_user

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


@pytest.fixture
def region(db) -> Region:
    return Region.objects.get(slug="hachinohe")


@pytest.fixture
def categories(region) -> dict[str, ConsultationCategory]:
    return {category.name: category for category in ConsultationCategory.objects.filter(region=region)}


@pytest.fixture
def gonohe_desk(gonohe) -> Organization:
    return Organization.objects.create(
        name="五戸町地域包括支援センター",
        kind=Organization.Kind.COMMUNITY_SUPPORT_CENTER,
        municipality=gonohe,
    )


@pytest.fixture
def hachinohe_desk(hachinohe) -> Organization:
    return Organization.objects.create(
        name="八戸市医師会 在宅療養相談窓口",
        kind=Organization.Kind.MEDICAL_ASSOCIATION,
        municipality=hachinohe,
    )


@pytest.fixture
def dan(gonohe_desk) -> User:
    """Dan answers the phone at the 五戸町 地域包括支援センター."""
    return make_user(
        "dan",
        gonohe_desk,
        User.Role.PROFESSIONAL,
        profession=User.Profession.SOCIAL_WORKER,
        full_name="五戸 ダン",
    )


@pytest.fixture
def erin(hachinohe_desk) -> User:
    """Erin staffs the 八戸市医師会's 在宅療養相談窓口."""
    return make_user(
        "erin",
        hachinohe_desk,
        User.Role.PROFESSIONAL,
        profession=User.Profession.NURSE,
        full_name="八戸 エリン",
    )


def make_consultation(desk, received_at, *, categories=(), **fields) -> Consultation:
    values = {
        "channel": "phone",
        "requester_type": "family",
        "response": "information",
        "status": "closed",
    }
    values.update(fields)
    consultation = Consultation(desk=desk, received_at=received_at, **values)
    consultation.save()
    consultation.categories.set(categories)
    return consultation
