from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from renkei.core.models import Organization, Region, User
from renkei.meetings.models import Event, EventKind
from renkei.meetings.services import events
from tests.conftest import make_user

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(*args) -> datetime:
    return datetime(*args, tzinfo=TOKYO)


@pytest.fixture
def region(db) -> Region:
    return Region.objects.get(slug="hachinohe")


def professional(username: str, organization: Organization, profession: str) -> User:
    return make_user(username, organization, User.Role.PROFESSIONAL, profession=profession)


@pytest.fixture
def hospital(hachinohe) -> Organization:
    return Organization.objects.create(
        name="テスト病院", kind=Organization.Kind.HOSPITAL, municipality=hachinohe
    )


@pytest.fixture
def gonohe_office(gonohe) -> Organization:
    return Organization.objects.create(
        name="テスト居宅介護支援事業所", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE, municipality=gonohe
    )


@pytest.fixture
def dora(hospital) -> User:
    """Dora is a hospital nurse (退院支援) in 八戸市."""
    return professional("dora", hospital, User.Profession.NURSE)


@pytest.fixture
def ed(gonohe_office) -> User:
    """Ed is a care manager in 五戸町."""
    return professional("ed", gonohe_office, User.Profession.CARE_MANAGER)


def make_event(actor: User, municipality=None, **values) -> Event:
    fields = {
        "kind": EventKind.TRAINING,
        "title": "多職種研修 ACP",
        "starts_at": tokyo(2024, 6, 10, 18, 0),
        "ends_at": tokyo(2024, 6, 10, 20, 0),
        "place": "五戸町公民館",
    }
    fields.update(values)
    return events.create_event(actor, municipality, **fields)


@pytest.fixture
def office(gonohe) -> Organization:
    return Organization.objects.create(
        name="五戸テスト居宅", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE, municipality=gonohe
    )


@pytest.fixture
def station(gonohe) -> Organization:
    return Organization.objects.create(
        name="五戸テスト訪問看護", kind=Organization.Kind.VISITING_NURSE_STATION, municipality=gonohe
    )


@pytest.fixture
def people(office, station) -> list[User]:
    """Three care managers and two nurses of 五戸町."""
    return [professional(f"cm{n}", office, User.Profession.CARE_MANAGER) for n in range(1, 4)] + [
        professional(f"ns{n}", station, User.Profession.NURSE) for n in range(1, 3)
    ]
