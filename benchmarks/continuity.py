"""Nights and holidays benchmark: tonight's contact path for 10,000 patients; the region cover table.

    .venv/bin/python benchmarks/continuity.py [--patients 10000] [--facilities 500000]
    scripts/with-postgres.sh .venv/bin/python benchmarks/continuity.py

Each patient has a path of three steps (an organisation's on-call duty — 50 organisations, each with
a weekly rota of 7 night slots, 7 day slots and exceptions —, a care-team member, 119). Prints JSON
lines: the build, then the seconds of ``services.resolve_paths`` (steps, rotas, people: the reading
and resolving) for every patient at a weekday night, a 祝日 and a gap, and of ``services.tonight``
(the command's work, which also writes one access-log row per patient); then the cover table
(per municipality: 24時間対応・往診・訪問診療・看取り known true / false / unknown, per 1,000 aged 65+)
over the facilities. Floors (issue 14): resolving tonight's path for 10,000 patients ≤ 1 s; the
region cover table over 500,000 facilities ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import Timer, emit, setup_django

FLOOR_SECONDS = 1.0
COVER_FLOOR_MS = 200
ORGANIZATIONS = 50


def _build(patients: int):
    from renkei.continuity.models import ContactStep, OnCallRota, RotaException, RotaSlot, StepKind
    from renkei.continuity.services.duty import at
    from renkei.core.models import Municipality, Organization, User
    from renkei.sharing.models import CareTeamMembership, Consent, Patient

    municipality = Municipality.objects.get(code="022039")
    clinics = Organization.objects.bulk_create(
        Organization(name=f"ベンチ診療所{n}", kind=Organization.Kind.CLINIC, municipality=municipality)
        for n in range(ORGANIZATIONS)
    )
    doctors = User.objects.bulk_create(
        User(username=f"doc{n}", organization=clinics[n // 2], role=User.Role.PROFESSIONAL,
             profession=User.Profession.PHYSICIAN, full_name=f"ベンチ 医師{n}")
        for n in range(ORGANIZATIONS * 2)
    )  # fmt: skip
    nurse = User.objects.create_user(
        "nurse", organization=clinics[0], role=User.Role.PROFESSIONAL, full_name="ベンチ 看護"
    )
    rotas = OnCallRota.objects.bulk_create(
        OnCallRota(organization=clinic, name="当番", valid_from=date(2026, 1, 1), updated_by=nurse)
        for clinic in clinics
    )
    slots = []
    for n, rota in enumerate(rotas):
        first, second = doctors[2 * n], doctors[2 * n + 1]
        for day in range(8):
            slots.append(RotaSlot(rota=rota, day=day, starts=time(17, 30), ends=time(8, 30), user=first))
            slots.append(RotaSlot(rota=rota, day=day, starts=time(8, 30), ends=time(17, 30), user=second))
    RotaSlot.objects.bulk_create(slots)
    RotaException.objects.bulk_create(
        RotaException(rota=rota, starts_at=at(date(2026, 11, 20), 20), ends_at=at(date(2026, 11, 20), 23))
        for rota in rotas
    )
    owner = nurse
    people = Patient.objects.bulk_create(
        Patient(organization=clinics[0], registered_by=owner, full_name=f"ベンチ 利用者{n}",
                full_name_kana=f"べんち りようしゃ{n}", kana_key=f"べんちりようしゃ{n}",
                birth_date=date(1940, 1, 1) + timedelta(days=n % 3000), sex="female", municipality=municipality)
        for n in range(patients)
    )  # fmt: skip
    Consent.objects.bulk_create(
        Consent(patient=p, given_by="本人", given_on=date(2026, 1, 1), method="written", recorded_by=owner)
        for p in people
    )
    members = CareTeamMembership.objects.bulk_create(
        # bulk_create skips save(): the organisation the member joined with is given here, as save() does.
        CareTeamMembership(patient=p, user=nurse, organization=nurse.organization, team_role="visiting_nurse")
        for p in people
    )
    steps = []
    for n, (patient, member) in enumerate(zip(people, members, strict=True)):
        steps += [
            ContactStep(patient=patient, position=1, kind=StepKind.ON_CALL,
                        organization=clinics[n % ORGANIZATIONS], created_by=owner),
            ContactStep(patient=patient, position=2, kind=StepKind.MEMBER, member=member, created_by=owner),
            ContactStep(patient=patient, position=3, kind=StepKind.EMERGENCY, created_by=owner),
        ]  # fmt: skip
    ContactStep.objects.bulk_create(steps, batch_size=2000)
    return nurse, [p.pk for p in people]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--facilities", type=int, default=500_000)
    options = parser.parse_args()
    vendor = setup_django("continuity")
    from renkei.continuity import services
    from renkei.continuity.services.duty import at

    with Timer() as build:
        nurse, ids = _build(options.patients)
    emit(benchmark="continuity", database=vendor, patients=len(ids), build_seconds=round(build.seconds, 1))
    moments = {
        "weekday_night": at(date(2026, 11, 4), 22),
        "holiday": at(date(2026, 11, 23), 12),
        "gap_by_exception": at(date(2026, 11, 20), 21),
    }
    for name, moment in moments.items():
        runs = []
        for _ in range(3):
            with Timer() as timer:
                paths = services.resolve_paths(ids, moment, member_of=nurse)
            runs.append(timer.seconds)
        first = paths[ids[0]].first
        emit(
            figure=f"resolve_paths_{name}",
            seconds=round(min(runs), 3),
            floor_seconds=FLOOR_SECONDS,
            within_floor=min(runs) <= FLOOR_SECONDS,
            first_contact=first.label if first else None,
        )
    with Timer() as timer:
        rows = services.tonight(nurse, moments["weekday_night"])
    assert len(rows) == len(ids), f"tonight saw {len(rows)} of {len(ids)} patients"
    emit(figure="tonight_with_access_log", seconds=round(timer.seconds, 3), patients=len(rows),
         note="includes one access-log row written per patient; the floor is for resolving")  # fmt: skip
    _cover(options.facilities)


def _insert(facilities: int, municipalities, towns) -> None:
    from renkei.directory.models import Facility

    choices = (True, False, None)
    batch = []
    for n in range(facilities):
        municipality = municipalities[n % len(municipalities)]
        town = towns[municipality.pk][(n // 7) % len(towns[municipality.pk])] if n % 10 else "不明な場所"
        batch.append(
            Facility(name=f"ベンチ施設{n}", category="clinic", municipality=municipality, address=f"{town}{n}",
                     round_the_clock=choices[n % 3], house_call=choices[(n // 3) % 3],
                     home_visit_care=choices[(n // 9) % 3], end_of_life_care=choices[(n // 27) % 3])
        )  # fmt: skip
        if len(batch) == 5000:
            Facility.objects.bulk_create(batch)
            batch = []
    Facility.objects.bulk_create(batch)


def _cover(facilities: int) -> None:
    from renkei.continuity import services
    from renkei.continuity.services import cover_summary
    from renkei.core.models import Municipality, Region, User
    from renkei.directory import geocoding

    municipalities = list(Municipality.objects.filter(region__slug="hachinohe"))
    towns = {m.pk: geocoding.towns_of(m.code)[:40] or [""] for m in municipalities}
    with Timer() as setup:
        _insert(facilities, municipalities, towns)
    # bulk_create sends no signals (as an import): the summary is rebuilt as the command does.
    with Timer() as rebuild:
        cover_summary.recompute()
    emit(figure="cover_setup", facilities=facilities, insert_seconds=round(setup.seconds, 1),
         rebuild_cover_seconds=round(rebuild.seconds, 1))  # fmt: skip
    staff = User.objects.create_user("admin-bench", role=User.Role.REGION_ADMIN,
                                     organization=User.objects.get(username="nurse").organization)  # fmt: skip
    region = Region.objects.get(slug="hachinohe")
    runs = []
    for _ in range(5):
        with Timer() as timer:
            services.cover_table(staff, region)
        runs.append(timer.seconds * 1000)
    emit(figure="cover_table", facilities=facilities, ms=round(min(runs), 1), floor_ms=COVER_FLOOR_MS,
         within_floor=min(runs) <= COVER_FLOOR_MS)  # fmt: skip


if __name__ == "__main__":
    main()
