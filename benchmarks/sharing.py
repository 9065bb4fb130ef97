"""Care-team sharing benchmark: a patient with 10,000 posts, and a member of 500 care teams.

    .venv/bin/python benchmarks/sharing.py
    scripts/with-postgres.sh .venv/bin/python benchmarks/sharing.py

Prints JSON lines: build figures, then p50/p95 (ms) of whole requests through Django (middleware,
session with the second factor, permission checks, queries, template, access-log row and read
receipts written) for the first timeline page and for the home list with unread counts, plus the
number of queries each makes. Targets (issue 5): both ≤ 50 ms on SQLite and PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import Timer, emit, percentile, setup_django

CATEGORIES = ["contact", "condition_change", "vitals", "medication", "visit_admission", "family", "other"]


def _people(count: int, prefix: str):
    from renkei.core.models import Municipality, Organization, User

    municipality = Municipality.objects.get(code="022039")
    users = []
    for number in range(count):
        organization, _ = Organization.objects.get_or_create(
            municipality=municipality,
            name=f"{prefix}事業所{number}",
            defaults={"kind": Organization.Kind.VISITING_NURSE_STATION},
        )
        users.append(
            User.objects.create_user(
                username=f"{prefix}{number}",
                password=None,  # logged in with force_login only
                organization=organization,
                role=User.Role.PROFESSIONAL,
                profession=User.Profession.NURSE,
                full_name=f"ベンチ {prefix}{number}",
            )
        )
    return users


def _patient(owner, number: int):
    from renkei.core.models import Municipality
    from renkei.sharing.models import Patient

    return Patient.objects.create(
        organization=owner.organization,
        registered_by=owner,
        full_name=f"ベンチ 利用者{number}",
        full_name_kana=f"べんち りようしゃ{number}",
        birth_date=date(1940, 1, 1) + timedelta(days=number),
        sex="female",
        municipality=Municipality.objects.get(code="022039"),
    )


def _consent(patient, owner):
    from renkei.sharing.models import Consent

    Consent.objects.create(
        patient=patient,
        given_by="ベンチ",
        given_on=date(2026, 1, 1),
        method="written",
        scope="全職種",
        recorded_by=owner,
    )


def build_busy_patient(posts: int, rng: random.Random):
    """One patient, a team of six, ``posts`` posts (10 % replies), half of them read by everyone."""
    from django.utils import timezone

    from renkei.sharing.models import CareTeamMembership, Post, PostRead

    team = _people(6, "busy")
    patient = _patient(team[0], 0)
    _consent(patient, team[0])
    start = timezone.now() - timedelta(days=3 * 365)
    CareTeamMembership.objects.bulk_create(
        [
            CareTeamMembership(
                patient=patient,
                user=user,
                organization_id=user.organization_id,
                team_role="visiting_nurse",
                joined_at=start,
            )
            for user in team
        ]
    )
    top_count = int(posts * 0.9)
    Post.objects.bulk_create(
        [
            Post(
                patient=patient,
                author=rng.choice(team),
                category=rng.choice(CATEGORIES),
                urgent=rng.random() < 0.05,
                body=f"訪問記録 {number}。血圧 {rng.randint(110, 160)}/{rng.randint(60, 95)}、体温 36.{rng.randint(0, 9)}℃。",
                created_at=start + timedelta(minutes=150 * number),
            )
            for number in range(top_count)
        ],
        batch_size=2000,
    )
    tops = list(Post.objects.filter(patient=patient).values_list("pk", "created_at"))
    Post.objects.bulk_create(
        [
            Post(
                patient=patient,
                parent_id=parent_id,
                author=rng.choice(team),
                category="contact",
                body=f"返信 {number}",
                created_at=created + timedelta(minutes=30),
            )
            for number, (parent_id, created) in enumerate(rng.sample(tops, posts - top_count))
        ],
        batch_size=2000,
    )
    post_ids = list(Post.objects.filter(patient=patient).order_by("created_at").values_list("pk", flat=True))
    PostRead.objects.bulk_create(
        [PostRead(post_id=post_id, user=user) for post_id in post_ids[: len(post_ids) // 2] for user in team],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return patient, team[1]


def build_busy_member(teams: int, posts_per_team: int, rng: random.Random):
    """One nurse on ``teams`` care teams of four; each patient has posts by the others, half read."""
    from django.utils import timezone

    from renkei.sharing.models import CareTeamMembership, Post, PostRead

    member, *others = _people(4, "many")
    start = timezone.now() - timedelta(days=365)
    patients = []
    for number in range(teams):
        patient = _patient(others[0], 1000 + number)
        _consent(patient, others[0])
        patients.append(patient)
    CareTeamMembership.objects.bulk_create(
        [
            CareTeamMembership(
                patient=patient,
                user=user,
                organization_id=user.organization_id,
                team_role="visiting_nurse",
                joined_at=start,
            )
            for patient in patients
            for user in [member, *others]
        ],
        batch_size=2000,
    )
    Post.objects.bulk_create(
        [
            Post(
                patient=patient,
                author=rng.choice(others),
                category=rng.choice(CATEGORIES),
                urgent=rng.random() < 0.05,
                body="連絡",
                created_at=start + timedelta(hours=rng.randint(1, 24 * 300)),
            )
            for patient in patients
            for _ in range(posts_per_team)
        ],
        batch_size=2000,
    )
    read = Post.objects.filter(patient__in=patients).values_list("pk", flat=True)
    PostRead.objects.bulk_create(
        [PostRead(post_id=post_id, user=member) for post_id in read if post_id % 2 == 0],
        batch_size=5000,
    )
    return member


def verified_client(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure(client, url: str, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert client.get(url).status_code == 200
    samples, cpu = [], []
    for _ in range(rounds):
        started = time.process_time()
        with Timer() as timer:
            response = client.get(url)
        cpu.append((time.process_time() - started) * 1000)
        assert response.status_code == 200
        samples.append(timer.seconds * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "p50_ms": round(percentile(samples, 0.5), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        # CPU time of this (Django) process alone: steadier than wall time on a busy machine.
        "python_cpu_p50_ms": round(percentile(cpu, 0.5), 1),
        "queries": len(queries),
        "load_average": round(os.getloadavg()[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--posts-per-team", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    vendor = setup_django("sharing")
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    rng = random.Random(5)

    with Timer() as timer:
        patient, reader = build_busy_patient(args.posts, rng)
    emit(db=vendor, step="build_busy_patient", posts=args.posts, seconds=round(timer.seconds, 1))
    with Timer() as timer:
        member = build_busy_member(args.teams, args.posts_per_team, rng)
    emit(
        db=vendor,
        step="build_busy_member",
        teams=args.teams,
        posts=args.teams * args.posts_per_team,
        seconds=round(timer.seconds, 1),
    )

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have done on a live database
    figures = measure(verified_client(reader), f"/patients/{patient.pk}/", args.rounds)
    emit(db=vendor, measure="timeline_first_page", posts=args.posts, target_ms=50, **figures)
    figures = measure(verified_client(member), "/patients/", args.rounds)
    emit(db=vendor, measure="home_list_with_unread_counts", teams=args.teams, target_ms=50, **figures)


if __name__ == "__main__":
    main()
