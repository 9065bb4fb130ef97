"""Demo data of 入退院 coordination: the demo patient of care-team sharing admitted to a fictional
hospital, with a 地域連携室 account on Renkei. Safe to load again."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from renkei.core.demo import demo_account
from renkei.core.models import Municipality, Organization, User
from renkei.sharing.models import Patient
from renkei.transitions import services
from renkei.transitions.models import Episode, EpisodeStatus

HACHINOHE = "022039"
HOSPITAL = "デモ総合病院（架空）"


@transaction.atomic
def load(stdout) -> None:
    municipality = Municipality.objects.filter(code=HACHINOHE).first()
    cm = User.objects.filter(username="demo-caremanager").first()
    if municipality is None or cm is None:
        return
    hospital, _ = Organization.objects.get_or_create(
        municipality=municipality, name=HOSPITAL, defaults={"kind": Organization.Kind.HOSPITAL}
    )
    liaison, _ = demo_account(
        "demo-liaison",
        full_name="連携 室子（デモ）",
        full_name_kana="れんけい しつこ",
        organization=hospital,
        role=User.Role.PROFESSIONAL,
        profession=User.Profession.SOCIAL_WORKER,
    )
    patient = Patient.objects.filter(organization=cm.organization, full_name_kana="かくう うめこ").first()
    if patient is None or Episode.objects.filter(patient=patient).exists():
        return
    now = timezone.now()
    services.create_episode(
        cm,
        patient.pk,
        {
            "hospital_name": HOSPITAL,
            "ward": "4階東病棟（デモ）",
            "admitted_at": now - timedelta(days=5),
            "expected_discharge": timezone.localdate(now) + timedelta(days=10),
            "status": EpisodeStatus.ADMITTED,
            "liaison_name": "連携 室子（デモ）",
            "liaison_phone": "000-000-0000",
            "liaison_user": liaison,
        },
    )
    stdout.write(f"入退院調整のデモ: 地域連携室 ユーザー名 demo-liaison（{HOSPITAL}）\n")
