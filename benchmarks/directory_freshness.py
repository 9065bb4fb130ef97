"""Directory freshness benchmark: a national directory (through the real importer, which now also
writes the first version of every facility to the history), confirmations spread over two years,
contact e-mails for most facilities; then the freshness dashboard of one region and the decision
of ``renkei send-reminders``.

    .venv/bin/python benchmarks/directory_freshness.py --facilities 500000
    scripts/with-postgres.sh .venv/bin/python benchmarks/directory_freshness.py --facilities 500000

Prints JSON lines. Targets (issue 4): the dashboard of one region renders in ≤ 200 ms; deciding what
is due takes ≤ 10 s with 500,000 facilities. The import figure is issue 3's (≥ 10,000 rows/s).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import Timer, emit, percentile, setup_django


def record_confirmations_in_history() -> None:
    """Each confirmation is a version in the history (as the services write it): one version per
    confirmed facility, and an earlier confirmation 200 days before for every other one, so that the
    dashboard's trend reads a history of realistic size."""
    from django.db import connection

    from renkei.directory.models import Facility

    history = Facility.history.model
    columns = [f.column for f in history._meta.concrete_fields if not f.attname.startswith("history_")]
    listed = ", ".join(columns)
    date_now = "verified_at"
    if connection.vendor == "postgresql":
        date_old = "verified_at - INTERVAL '200 days'"
    else:
        date_old = "datetime(verified_at, '-200 days')"
    shifted = ", ".join(date_old if column == "verified_at" else column for column in columns)
    table = history._meta.db_table
    with connection.cursor() as cursor:
        for values, when, where in (
            (listed, date_now, "verified_at IS NOT NULL"),
            (shifted, date_old, "verified_at IS NOT NULL AND id % 2 = 0"),
        ):
            cursor.execute(
                f"INSERT INTO {table} ({listed}, history_date, history_type, history_change_reason) "  # noqa: S608
                f"SELECT {values}, {when}, '~', 'benchmark' FROM directory_facility WHERE {where}"
            )


def spread_freshness(contact_share: float = 0.6) -> int:
    """verified_at over the last two years for 80 % of facilities (the rest never confirmed);
    a contact e-mail for ``contact_share`` of them; a few bounced. Returns the contact count."""
    from django.db import connection
    from django.utils import timezone

    from renkei.directory.models import Facility
    from renkei.freshness.models import FacilityContact

    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM directory_facility")
        low, high = cursor.fetchone()
    updates = []
    for pk in range(low, high + 1):
        if pk % 5 == 0:
            continue
        updates.append((now - timedelta(days=(pk * 7919) % 730, hours=pk % 24), pk))
    prepared = [(connection.ops.adapt_datetimefield_value(at), pk) for at, pk in updates]
    with connection.cursor() as cursor:
        cursor.executemany("UPDATE directory_facility SET verified_at = %s WHERE id = %s", prepared)
    record_confirmations_in_history()
    table = FacilityContact._meta.db_table
    rows = [
        (pk, f"office{pk}@example.invalid", True, now if pk % 97 == 0 else None, now)
        for pk in range(low, high + 1)
        if (pk * 31) % 100 < contact_share * 100
    ]
    prepared_rows = [
        (pk, email, active, connection.ops.adapt_datetimefield_value(b) if b else None,
         connection.ops.adapt_datetimefield_value(created))
        for pk, email, active, b, created in rows
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (facility_id, email, is_active, bounced_at, created_at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            prepared_rows,
        )
        cursor.execute("ANALYZE")
    assert Facility.objects.exists()
    return len(rows)


def time_dashboard(region, repeats: int) -> list[float]:
    from django.test import Client

    from renkei.core.models import Organization, User

    municipality = region.municipalities.order_by("code").first()
    organization = Organization.objects.create(
        name=f"ベンチ医師会{region.slug}",
        kind=Organization.Kind.MEDICAL_ASSOCIATION,
        municipality=municipality,
    )
    admin = User.objects.create_user(
        username=f"bench-{region.slug}", password=None, organization=organization, role=User.Role.REGION_ADMIN
    )
    client = Client()
    client.force_login(admin)
    timings = []
    for _ in range(repeats + 3):
        with Timer() as timer:
            response = client.get("/staff/directory/freshness/")
        assert response.status_code == 200, response.status_code
        timings.append(timer.seconds * 1000)
    return timings[3:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=500_000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()

    vendor = setup_django("directory_freshness")
    from directory import build_directory

    workdir = Path(tempfile.mkdtemp(prefix="renkei-bench-freshness-"))
    built = build_directory(args.facilities, workdir)
    emit(
        benchmark="directory.import_with_history",
        database=vendor,
        facilities=built["created"],
        rows=built["rows"],
        seconds=round(built["seconds"], 1),
        rows_per_second=round(built["rows"] / built["seconds"]),
        load_average=round(os.getloadavg()[0], 2),
        target_rows_per_second=10_000,
    )
    from renkei.directory.models import Facility

    history_rows = Facility.history.count()
    contacts = spread_freshness()

    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for slug in ("hachinohe", "big"):
        region = built["regions"][slug][0]
        count = Facility.objects.filter(municipality__region=region).count()
        timings = time_dashboard(region, args.repeats)
        emit(
            benchmark="directory.freshness_dashboard",
            database=vendor,
            region=slug,
            region_facilities=count,
            national_facilities=built["created"],
            requests=len(timings),
            p50_ms=round(percentile(timings, 0.5), 1),
            p95_ms=round(percentile(timings, 0.95), 1),
            target_ms=200,
        )

    from renkei.freshness.services import reminders

    with Timer() as timer:
        due = reminders.due_reminders()
    emit(
        benchmark="directory.reminders_decide",
        database=vendor,
        facilities=built["created"],
        contacts=contacts,
        history_rows=history_rows,
        due=len(due),
        seconds=round(timer.seconds, 2),
        target_seconds=10,
    )

    # Steady state: cron runs again when everything due was already sent (rows recorded as sent).
    from django.utils import timezone

    from renkei.freshness.models import ReminderDelivery

    now = timezone.now()
    ReminderDelivery.objects.bulk_create(
        [
            ReminderDelivery(
                contact_id=d.contact_id, facility_id=d.facility_id, kind=d.kind, due_date=d.due_date,
                offset_days=d.offset_days, sent_at=now,
            )
            for d in due
        ],
        batch_size=2000,
    )  # fmt: skip
    with Timer() as timer:
        run = reminders.send_reminders()
    emit(
        benchmark="directory.reminders_rerun_nothing_new",
        database=vendor,
        due=run.due,
        sent=run.sent,
        seconds=round(timer.seconds, 2),
    )


if __name__ == "__main__":
    main()
