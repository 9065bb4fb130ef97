"""入退院 benchmark: the overdue dashboard over 50,000 admission episodes.

    .venv/bin/python benchmarks/transitions.py [--episodes 50000]
    scripts/with-postgres.sh .venv/bin/python benchmarks/transitions.py

50 care managers (each on the care team of 1/50 of the patients) and one hospital liaison named on
a tenth of the episodes; one episode per patient, admitted over the last 400 days, a fifth of them
still open, many overdue. Prints JSON lines: build figures, then p50/p95 (ms) of whole requests
(middleware, second-factor session, permission checks, queries, template) of the dashboard for a care
manager and for the liaison, with the floor beside them (issue 13: p95 ≤ 200 ms), and the duration of
``send-reminders --dry-run`` over every episode.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import Timer, emit, setup_django
from sharing import measure, verified_client

TOKYO = ZoneInfo("Asia/Tokyo")
CARE_MANAGERS = 50
FLOOR_MS = 200


def build(episodes: int, rng: random.Random):
    from renkei.core.models import Municipality, Organization, User
    from renkei.sharing.models import CareTeamMembership, Consent, Patient
    from renkei.transitions import deadlines
    from renkei.transitions.models import Episode, EpisodeStatus

    municipality = Municipality.objects.get(code="022039")
    hospital = Organization.objects.create(
        name="ベンチ病院", kind=Organization.Kind.HOSPITAL, municipality=municipality
    )
    liaison = User.objects.create_user(
        "bench-liaison",
        password=None,
        organization=hospital,
        role=User.Role.PROFESSIONAL,
        full_name="連携 担当",
    )
    managers = []
    for number in range(CARE_MANAGERS):
        office = Organization.objects.create(
            name=f"ベンチ居宅{number}",
            kind=Organization.Kind.CARE_MANAGEMENT_OFFICE,
            municipality=municipality,
        )
        managers.append(
            User.objects.create_user(
                f"bench-cm{number}",
                password=None,
                organization=office,
                role=User.Role.PROFESSIONAL,
                profession=User.Profession.CARE_MANAGER,
                full_name=f"ケアマネ {number}",
            )
        )
    Patient.objects.bulk_create(
        [
            Patient(
                organization_id=managers[n % CARE_MANAGERS].organization_id,
                registered_by=managers[n % CARE_MANAGERS],
                full_name=f"利用者 {n}",
                full_name_kana=f"りようしゃ {n}",
                kana_key=f"りようしゃ{n}",
                birth_date=date(1930, 1, 1) + timedelta(days=n % 9000),
                sex="female",
                municipality=municipality,
            )
            for n in range(episodes)
        ],
        batch_size=2000,
    )
    patients = list(Patient.objects.order_by("pk").values_list("pk", "registered_by_id"))
    CareTeamMembership.objects.bulk_create(
        [CareTeamMembership(patient_id=pk, user_id=cm, team_role="care_manager") for pk, cm in patients],
        batch_size=2000,
    )
    Consent.objects.bulk_create(
        [
            Consent(
                patient_id=pk, given_by="本人", given_on=date(2026, 1, 1), method="written", recorded_by_id=cm
            )
            for pk, cm in patients
        ],
        batch_size=2000,
    )
    rule = deadlines.rule_for(municipality.region_id)
    today = date(2026, 12, 3)
    rows = []
    for index, (pk, cm) in enumerate(patients):
        admitted = datetime.combine(
            today - timedelta(days=rng.randrange(400)), time(rng.randrange(24)), TOKYO
        )
        is_open = rng.random() < 0.2
        expected = admitted.date() + timedelta(days=rng.randrange(5, 40))
        rows.append(
            Episode(
                patient_id=pk,
                hospital_name=f"病院{index % 40}",
                admitted_at=admitted,
                expected_discharge=expected,
                status=EpisodeStatus.ADMITTED if is_open else EpisodeStatus.DISCHARGED,
                discharged_on=None if is_open else expected,
                liaison_user=liaison if index % 10 == 0 else None,
                care_manager_id=cm,
                admission_bonus_due=deadlines.admission_bonus_due(admitted, rule),
                admission_info_due=deadlines.admission_info_due(admitted, rule),
                admission_info_sent_at=None if rng.random() < 0.3 else admitted,
                discharge_contact_due=deadlines.discharge_contact_due(expected, rule),
                discharge_contacted_at=None if rng.random() < 0.3 else admitted,
                created_by_id=cm,
            )
        )
    Episode.objects.bulk_create(rows, batch_size=2000)
    return managers[0], liaison


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--episodes", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    vendor = setup_django("transitions")
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    with Timer() as timer:
        cm, liaison = build(args.episodes, random.Random(13))
    emit(db=vendor, step="build", episodes=args.episodes, seconds=round(timer.seconds, 1))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from renkei.transitions import services

    for who, user in (("care_manager", cm), ("liaison", liaison)):
        shown = len(services.overdue_dashboard(user).items)
        figures = measure(verified_client(user), "/transitions/", args.rounds)
        emit(db=vendor, measure=f"overdue_dashboard_{who}", episodes=args.episodes, overdue_shown=shown,
             floor_p95_ms=FLOOR_MS, **figures)  # fmt: skip
    with Timer() as timer:
        run = services.send_reminders(dry_run=True)
    emit(db=vendor, measure="send_reminders_dry_run", episodes=args.episodes, due=run.due,
         seconds=round(timer.seconds, 2))  # fmt: skip


if __name__ == "__main__":
    main()
