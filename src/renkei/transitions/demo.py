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
from renkei.transitions.sheets import demo as sheets_demo

HACHINOHE = "022039"
HOSPITAL = "デモ総合病院（架空）"


@transaction.atomic
def load(stdout) -> None:
    sheets_demo.load(stdout)
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
    episode = services.create_episode(
        cm,
        patient.pk,
        {
            "hospital_name": HOSPITAL,
            "ward": "4階東病棟（デモ）",
            "admitted_at": now - timedelta(days=1),
            "expected_discharge": timezone.localdate(now) + timedelta(days=10),
            "status": EpisodeStatus.ADMITTED,
            "liaison_name": "連携 室子（デモ）",
            "liaison_phone": "000-000-0000",
            "liaison_user": liaison,
        },
    )
    document = services.create_document(
        cm,
        episode.pk,
        "admission_info",
        {
            **services.new_document(cm, episode.pk, "admission_info")[1],
            "family": "長男（デモ）と二人暮らし。キーパーソンは長男。",
            "housing": "持ち家2階建て、寝室は1階（デモ）",
            "adl_eating": "independent",
            "adl_toileting": "supervision",
            "adl_bathing": "partial",
            "adl_mobility": "supervision",
            "adl_dressing": "supervision",
            "dementia_level": "Ⅰ",
            "disability_level": "A1",
            "copayment": "1",
            "services": "訪問看護 週1回、デイサービス 週2回（デモ）",
            "wishes": "本人: 早く家に帰りたい。長男: 退院後の入浴が心配。（デモ）",
            "conference_wish": "yes",
        },
    )
    services.send_document(cm, document.pk)
    stdout.write(f"入退院調整のデモ: 地域連携室 ユーザー名 demo-liaison（{HOSPITAL}）\n")
