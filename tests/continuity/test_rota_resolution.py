"""Who is on duty: across rota boundaries, midnight, month end, 祝日, exceptions; gaps and overlaps."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from renkei.continuity import services
from renkei.continuity.services.duty import at, coverage, on_duty, rotas_with_rules


def names_at(clinic, moment) -> list[str]:
    return on_duty(rotas_with_rules([clinic.pk]), moment).names


def status_at(clinic, moment) -> str:
    return on_duty(rotas_with_rules([clinic.pk]), moment).status


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Monday 2 November: the night from 17:30, 青木's; the weekday day has nobody.
        (at(date(2026, 11, 2), 17, 29), []),
        (at(date(2026, 11, 2), 17, 30), ["青木"]),
        # Across midnight into 文化の日 (Tue 3 Nov): still Monday's night duty until 8:30.
        (at(date(2026, 11, 3), 0, 0), ["青木"]),
        (at(date(2026, 11, 3), 8, 29), ["青木"]),
        # 文化の日 uses the 祝日 slot (土屋 8:30–翌8:30), not Tuesday's 坂井.
        (at(date(2026, 11, 3), 8, 30), ["土屋"]),
        (at(date(2026, 11, 3), 20, 0), ["土屋"]),
        (at(date(2026, 11, 4), 8, 29), ["土屋"]),
        # Wednesday daytime: a gap.
        (at(date(2026, 11, 4), 10, 0), []),
        # Saturday 7 Nov 8:30 to Sunday 8:30 千田, then Sunday's 青木.
        (at(date(2026, 11, 7), 23, 59), ["千田"]),
        (at(date(2026, 11, 8), 0, 0), ["千田"]),
        (at(date(2026, 11, 8), 8, 29), ["千田"]),
        (at(date(2026, 11, 8), 8, 30), ["青木"]),
        # Sunday's 24 hours end on Monday 9 Nov 8:30.
        (at(date(2026, 11, 9), 8, 0), ["青木"]),
        # 勤労感謝の日 (Mon 23 Nov) is a 祝日: 土屋 from 8:30 until Tuesday 8:30.
        (at(date(2026, 11, 23), 8, 0), ["青木"]),
        (at(date(2026, 11, 23), 12, 0), ["土屋"]),
        (at(date(2026, 11, 24), 8, 0), ["土屋"]),
        (at(date(2026, 11, 24), 9, 0), []),
        # Thursday 26 Nov 17:30–22:00 two people (an overlap), then 坂井 alone.
        (at(date(2026, 11, 26), 19, 0), ["坂井", "千田"]),
        (at(date(2026, 11, 26), 22, 0), ["坂井"]),
        # Month end and rota boundary: Monday 30 Nov's night belongs to November (青木) until
        # Tuesday 1 Dec 8:30; December's rota starts with Tuesday's night (千田).
        (at(date(2026, 11, 30), 23, 0), ["青木"]),
        (at(date(2026, 12, 1), 3, 0), ["青木"]),
        (at(date(2026, 12, 1), 12, 0), []),
        (at(date(2026, 12, 1), 17, 30), ["千田"]),
        # Before any rota: nobody.
        (at(date(2026, 10, 31), 20, 0), []),
    ],
)
def test_who_is_on_duty(clinic, rotas, moment, expected):
    assert names_at(clinic, moment) == expected


def test_moments_in_utc_are_read_in_tokyo(clinic, rotas):
    # 2026-11-03T23:00Z is 4 Nov 8:00 JST (文化の日's slot); 01:00Z is 10:00 JST (nobody).
    assert names_at(clinic, datetime(2026, 11, 3, 23, 0, tzinfo=UTC)) == ["土屋"]
    assert names_at(clinic, datetime(2026, 11, 4, 1, 0, tzinfo=UTC)) == []


def test_gaps_and_overlaps_are_reported_as_such(clinic, rotas):
    assert status_at(clinic, at(date(2026, 11, 4), 10, 0)) == "gap"
    assert status_at(clinic, at(date(2026, 11, 26), 19, 0)) == "overlap"
    assert status_at(clinic, at(date(2026, 11, 26), 23, 0)) == "covered"


def test_an_exception_replaces_the_pattern_while_it_lasts(clinic, rotas, doctors):
    november, _december = rotas
    aoki = doctors["aoki"]
    # Friday 13 Nov: 坂井 takes 青木's night; Friday 20 Nov 20:00–23:00 nobody (青木 at a meeting).
    services.add_exception(
        aoki,
        november,
        {"starts_at": at(date(2026, 11, 13), 17, 30), "ends_at": at(date(2026, 11, 14), 8, 30),
         "user": doctors["sakai"], "note": "交代"},
    )  # fmt: skip
    services.add_exception(
        aoki,
        november,
        {"starts_at": at(date(2026, 11, 20), 20), "ends_at": at(date(2026, 11, 20), 23), "user": None},
    )
    assert names_at(clinic, at(date(2026, 11, 13), 22, 0)) == ["坂井"]
    assert names_at(clinic, at(date(2026, 11, 14), 8, 30)) == ["千田"]
    assert names_at(clinic, at(date(2026, 11, 20), 21, 0)) == []
    assert status_at(clinic, at(date(2026, 11, 20), 21, 0)) == "gap"
    assert names_at(clinic, at(date(2026, 11, 20), 23, 0)) == ["青木"]


def test_coverage_of_a_span_shows_each_change(clinic, rotas):
    segments = coverage(rotas_with_rules([clinic.pk]), at(date(2026, 11, 2), 0), at(date(2026, 11, 4), 12, 0))
    assert [(s.starts_at, s.ends_at, s.names) for s in segments] == [
        (at(date(2026, 11, 2), 0), at(date(2026, 11, 2), 8, 30), ["青木"]),
        (at(date(2026, 11, 2), 8, 30), at(date(2026, 11, 2), 17, 30), []),
        (at(date(2026, 11, 2), 17, 30), at(date(2026, 11, 3), 8, 30), ["青木"]),
        (at(date(2026, 11, 3), 8, 30), at(date(2026, 11, 4), 8, 30), ["土屋"]),
        (at(date(2026, 11, 4), 8, 30), at(date(2026, 11, 4), 12, 0), []),
    ]


def test_only_the_organisations_own_staff_keep_its_rota(clinic, rotas, carol):
    from django.core.exceptions import PermissionDenied

    november, _december = rotas
    with pytest.raises(PermissionDenied):
        services.add_exception(
            carol, november, {"starts_at": at(date(2026, 11, 5), 0), "ends_at": at(date(2026, 11, 5), 1)}
        )
    with pytest.raises(services.ContinuityError):
        services.add_exception(
            november.updated_by,
            november,
            {"starts_at": at(date(2026, 11, 5), 0), "ends_at": at(date(2026, 11, 5), 1), "user": carol},
        )


def test_an_exception_must_end_after_it_starts(rotas, doctors):
    november, _december = rotas
    with pytest.raises(services.ContinuityError) as refused:
        services.add_exception(
            doctors["aoki"],
            november,
            {"starts_at": at(date(2026, 11, 5), 3), "ends_at": at(date(2026, 11, 5), 1)},
        )
    assert refused.value.field == "ends_at"
