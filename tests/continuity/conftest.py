"""A physician group with a November rota and a December rota, people written out by name.

The November rota (2026-11-01〜11-30): weekday nights 17:30–翌8:30 — 月水金 青木, 火木 坂井; 木 an
extra 17:30–22:00 by 千田 (an overlap); 土 8:30–翌8:30 千田; 日 8:30–翌8:30 青木; 祝日 8:30–翌8:30
土屋. Weekday days have nobody (a gap). The December rota (from 12-01): every night 17:30–翌8:30 千田.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from renkei.continuity import services
from renkei.continuity.models import DayKind, OnCallRota
from renkei.core.models import Organization, User
from tests.conftest import make_user
from tests.sharing.conftest import (  # noqa: F401 (fixtures)
    add_member,
    care_office,
    cm,
    cm_colleague,
    er_doctor,
    give_consent,
    register,
)


@pytest.fixture
def clinic(hachinohe) -> Organization:
    return Organization.objects.create(
        name="テスト在宅クリニック群", kind=Organization.Kind.CLINIC, municipality=hachinohe
    )


def _doctor(username: str, name: str, kana: str, clinic: Organization) -> User:
    return make_user(
        username,
        clinic,
        User.Role.PROFESSIONAL,
        profession=User.Profession.PHYSICIAN,
        full_name=name,
        full_name_kana=kana,
    )


@pytest.fixture
def doctors(clinic) -> dict[str, User]:
    return {
        "aoki": _doctor("aoki", "青木", "あおき", clinic),
        "sakai": _doctor("sakai", "坂井", "さかい", clinic),
        "chida": _doctor("chida", "千田", "ちだ", clinic),
        "tsuchiya": _doctor("tsuchiya", "土屋", "つちや", clinic),
    }


def _slot(actor, rota, day, starts, ends, user):
    return services.add_slot(actor, rota, {"day": day, "starts": starts, "ends": ends, "user": user})


@pytest.fixture
def rotas(clinic, doctors) -> tuple[OnCallRota, OnCallRota]:
    aoki, sakai, chida, tsuchiya = (doctors[k] for k in ("aoki", "sakai", "chida", "tsuchiya"))
    november = services.create_rota(
        aoki, clinic, {"name": "11月", "valid_from": date(2026, 11, 1), "valid_until": date(2026, 11, 30)}
    )
    night, morning = time(17, 30), time(8, 30)
    for day in (DayKind.MONDAY, DayKind.WEDNESDAY, DayKind.FRIDAY):
        _slot(aoki, november, day, night, morning, aoki)
    for day in (DayKind.TUESDAY, DayKind.THURSDAY):
        _slot(aoki, november, day, night, morning, sakai)
    _slot(aoki, november, DayKind.THURSDAY, night, time(22, 0), chida)
    _slot(aoki, november, DayKind.SATURDAY, morning, morning, chida)
    _slot(aoki, november, DayKind.SUNDAY, morning, morning, aoki)
    _slot(aoki, november, DayKind.HOLIDAY, morning, morning, tsuchiya)
    december = services.create_rota(aoki, clinic, {"name": "12月", "valid_from": date(2026, 12, 1)})
    for day in range(7):
        _slot(aoki, december, day, night, morning, chida)
    return november, december
