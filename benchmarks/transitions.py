"""入退院 benchmark: the overdue dashboard over 50,000 admission episodes.

    .venv/bin/python benchmarks/transitions.py [--episodes 50000]
    scripts/with-postgres.sh .venv/bin/python benchmarks/transitions.py

50 care managers (each on the care team of 1/50 of the patients) and one hospital liaison named on
a tenth of the episodes; one episode per patient, admitted over the last 400 days, a fifth of them
still open, many overdue. Prints JSON lines: build figures; two floors —
the same page for a user on no team (middleware, second-factor session, template: what any request
costs) and the page's counting query written by hand over the whole table (what the database costs);
then p50/p95 (ms) of whole requests of the dashboard (counts per group and one page of 50 items),
grouped by care manager and by hospital, for a care manager and for the liaison, with the target
(issue 13: p95 ≤ 200 ms) and the floor beside them; and the duration of ``send-reminders --dry-run``
over every episode.
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
TARGET_MS = 200


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
    offices = {manager.pk: manager.organization_id for manager in managers}
    CareTeamMembership.objects.bulk_create(
        [
            CareTeamMembership(
                patient_id=pk, user_id=cm, organization_id=offices[cm], team_role="care_manager"
            )
            for pk, cm in patients
        ],
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
    nobody = User.objects.create_user(
        "bench-nobody",
        password=None,
        organization=managers[-1].organization,
        role=User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
        full_name="チーム なし",
    )
    return managers[0], liaison, nobody


def raw_floor_ms(rounds: int) -> float:
    """The floor of the database: the page's counting query written by hand, its p95."""
    from _setup import percentile
    from django.db import connection

    sql = (
        "SELECT care_manager_id, COUNT(*) FROM transitions_episode WHERE status IN ('admitted', 'planning')"
        " AND ((admission_info_sent_at IS NULL AND admission_info_due < %s)"
        " OR (discharge_contacted_at IS NULL AND discharge_contact_due < %s)) GROUP BY care_manager_id"
    )
    samples = []
    with connection.cursor() as cursor:
        for _ in range(rounds):
            with Timer() as timer:
                cursor.execute(sql, [date.today(), date.today()])
                cursor.fetchall()
            samples.append(timer.seconds * 1000)
    return round(percentile(samples, 0.95), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--episodes", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    vendor = setup_django("transitions")
    from _setup import analyze
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    with Timer() as timer:
        cm, liaison, nobody = build(args.episodes, random.Random(13))
    emit(db=vendor, step="build", episodes=args.episodes, seconds=round(timer.seconds, 1))
    analyze()
    from renkei.operations.heap import settle_heap
    from renkei.transitions import services

    settle_heap()  # as each `renkei serve` worker does once it has loaded (renkei/wsgi.py)

    # The floor of a request: the same page, middleware and second factor for a user who sees nothing.
    floor = measure(verified_client(nobody), "/transitions/", args.rounds)
    emit(db=vendor, measure="floor_empty_dashboard", p50_ms=floor["p50_ms"], p95_ms=floor["p95_ms"],
         queries=floor["queries"])  # fmt: skip
    emit(db=vendor, measure="floor_raw_count_query_whole_table", p95_ms=raw_floor_ms(args.rounds))
    for who, user in (("care_manager", cm), ("liaison", liaison)):
        counts = services.group_counts(user, "hospital")
        for by in ("care_manager", "hospital"):
            figures = measure(verified_client(user), f"/transitions/?by={by}", args.rounds)
            emit(db=vendor, measure=f"overdue_dashboard_{who}_by_{by}", episodes=args.episodes,
                 overdue=sum(g.total for g in counts), target_p95_ms=TARGET_MS,
                 floor_p95_ms=floor["p95_ms"], **figures)  # fmt: skip
    with Timer() as timer:
        run = services.send_reminders(dry_run=True)
    emit(db=vendor, measure="send_reminders_dry_run", episodes=args.episodes, due=run.due,
         seconds=round(timer.seconds, 2))  # fmt: skip


if __name__ == "__main__":
    main()
