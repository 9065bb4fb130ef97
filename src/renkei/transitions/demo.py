"""Demo data of 入退院 coordination: the demo patient of care-team sharing admitted to a fictional
hospital, with a 地域連携室 account on Renkei. Safe to load again."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from renkei.core.demo import demo_account
from renkei.core.fiscal import fiscal_year_of, fiscal_year_range
from renkei.core.models import Municipality, Organization, User
from renkei.directory.catalog import Category
from renkei.directory.models import Facility
from renkei.sharing import services as sharing_services
from renkei.sharing.models import CareTeamMembership, Patient, Post, PostCategory, PostRead, TeamRole
from renkei.transitions import services
from renkei.transitions.models import Episode, EpisodeStatus, ReminderKind
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
    _indicator_demo(stdout, municipality, liaison)
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


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# A second, separate demo office (so the caseloads of the demo users above stay as they are) whose
# fictional patients went into 2–3 hospitals of the demo directory in recent months: some sheets
# went within the deadline and some late, some discharges had the hospital's contact before them and
# some not, and the office's 至急 posts were answered by a visiting nurse of another organisation. The
# 入退院 indicators and the usage per organisation show real figures with them. Dates are relative to
# today (never before the 年度's first day, so the present 年度 shows them).
INDICATOR_OFFICE = "デモ第二居宅介護支援事業所（架空）"
INDICATOR_STATION = "デモ第二訪問看護ステーション（架空）"
# kana, name, days since admission, sheet sent days after admission (None: not sent), days in
# hospital (None: still in), hospital's contact days before discharge (None: no contact)
INDICATOR_PATIENTS = [
    ("かくう いちろう", "架空 一郎（デモ）", 140, 0, 20, 3),
    ("かくう じろう", "架空 二郎（デモ）", 120, 4, 15, None),
    ("かくう はなこ", "架空 花子（デモ）", 95, 1, 18, 2),
    ("かくう さくら", "架空 さくら（デモ）", 70, 6, 12, None),
    ("かくう たろう", "架空 太郎（デモ）", 50, 0, 14, 4),
    ("かくう ゆり", "架空 ゆり（デモ）", 30, 2, 10, 1),
    ("かくう まつ", "架空 まつ（デモ）", 12, None, None, None),
]
# Days since each 至急 post, and minutes until the visiting nurse answered it.
URGENT_POSTS = [(100, 35), (60, 90), (25, 150), (8, 20)]


def _indicator_people(stdout, municipality: Municipality) -> tuple[User, User]:
    office, _ = Organization.objects.get_or_create(
        municipality=municipality,
        name=INDICATOR_OFFICE,
        defaults={"kind": Organization.Kind.CARE_MANAGEMENT_OFFICE},
    )
    station, _ = Organization.objects.get_or_create(
        municipality=municipality,
        name=INDICATOR_STATION,
        defaults={"kind": Organization.Kind.VISITING_NURSE_STATION},
    )
    cm, _ = demo_account(
        "demo-caremanager2",
        full_name="第二 ケアマネ代（デモ）",
        full_name_kana="だいに けあまねよ",
        organization=office,
        role=User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
    )
    nurse, _ = demo_account(
        "demo-nurse2",
        full_name="第二 看護助（デモ）",
        full_name_kana="だいに かんごすけ",
        organization=station,
        role=User.Role.PROFESSIONAL,
        profession=User.Profession.NURSE,
    )
    stdout.write(
        "入退院の指標のデモ: ケアマネジャー demo-caremanager2・訪問看護 demo-nurse2"
        f"（{INDICATOR_OFFICE}・{INDICATOR_STATION}）\n"
    )
    return cm, nurse


def _indicator_demo(stdout, municipality: Municipality, liaison: User) -> None:
    cm, nurse = _indicator_people(stdout, municipality)
    if Patient.objects.filter(organization=cm.organization).exists():
        return
    # Three hospitals of the demo directory (or the demo hospital above when the directory has none).
    in_directory = Facility.objects.filter(category=Category.HOSPITAL, municipality=municipality)
    hospitals: list[Facility | None] = [*in_directory.order_by("name", "pk")[:3]] or [None]
    now = timezone.now()
    first_day = _start_of(fiscal_year_range(fiscal_year_of(timezone.localdate(now)))[0])

    def ago(days: float) -> datetime:
        return max(now - timedelta(days=days), first_day)

    patients = []
    for number, (kana, name, admitted, *progress) in enumerate(INDICATOR_PATIENTS):
        patient = sharing_services.register_patient(
            cm,
            {
                "full_name": name,
                "full_name_kana": kana,
                "birth_date": date(1935 + number, 1 + number, 10),
                "sex": Patient.Sex.MALE if "ろう" in kana else Patient.Sex.FEMALE,
                "address": "デモ町3丁目（架空の住所）",
                "care_level": "care_1",
                "municipality": municipality,
            },
            team_role=TeamRole.CARE_MANAGER,
            confirmed_not_duplicate=True,
        )
        sharing_services.record_consent(
            cm,
            patient,
            {
                "given_by": name,
                "relationship": "本人",
                "given_on": timezone.localdate(ago(admitted + 30)),
                "method": "written",
                "scope": "ケアチームの全職種",
            },
        )
        sharing_services.invite(cm, patient, nurse, TeamRole.VISITING_NURSE)
        patients.append(patient)
        hospital = hospitals[number % len(hospitals)]
        _admit(cm, patient, hospital, liaison, ago(admitted), *progress)
    # The team was there before the first 至急 post (a membership counts from when it began).
    CareTeamMembership.objects.filter(patient__in=patients).update(
        joined_at=ago(INDICATOR_PATIENTS[0][2] + 30)
    )
    for number, (days, minutes) in enumerate(URGENT_POSTS):
        _urgent_post(cm, nurse, patients[number % len(patients)], ago(days), minutes)


def _admit(
    cm: User,
    patient: Patient,
    hospital: Facility | None,
    liaison: User,
    admitted_at: datetime,
    sent: int | None,
    stay: int | None,
    contact: int | None,
) -> None:
    now = timezone.now()
    data: dict[str, Any] = {
        "hospital_facility": hospital,
        "hospital_name": hospital.name if hospital else HOSPITAL,
        "admitted_at": admitted_at,
        "status": EpisodeStatus.ADMITTED,
        "liaison_user": liaison if hospital is None else None,
    }
    if stay is not None:
        discharged = min(timezone.localdate(admitted_at) + timedelta(days=stay), timezone.localdate(now))
        data |= {
            "expected_discharge": discharged,
            "discharged_on": discharged,
            "status": EpisodeStatus.DISCHARGED,
        }
    episode = services.create_episode(cm, patient.pk, data)
    if sent is not None:
        services.record_progress(
            cm, episode.pk, ReminderKind.ADMISSION_INFO, min(admitted_at + timedelta(days=sent), now)
        )
    if contact is not None and stay is not None:
        contacted = _start_of(data["discharged_on"] - timedelta(days=contact)) + timedelta(hours=10)
        services.record_progress(
            cm, episode.pk, ReminderKind.DISCHARGE_CONTACT, min(max(contacted, admitted_at), now)
        )


def _urgent_post(cm: User, nurse: User, patient: Patient, posted: datetime, minutes: int) -> None:
    """A 至急 post of the care manager that the visiting nurse answered ``minutes`` later."""
    post = sharing_services.create_post(
        cm,
        patient,
        category=PostCategory.CONDITION_CHANGE,
        urgent=True,
        body="ご本人から息苦しさの訴えがありました。本日の訪問で様子を見ていただけますか。（デモ）",
    )
    reply = sharing_services.create_post(
        nurse,
        patient,
        category=PostCategory.CONDITION_CHANGE,
        parent=post,
        body="本日午後に訪問して確認します。（デモ）",
    )
    answered = min(posted + timedelta(minutes=minutes), timezone.now())
    Post.objects.filter(pk=post.pk).update(created_at=posted)
    Post.objects.filter(pk=reply.pk).update(created_at=answered)
    PostRead.objects.filter(post=post).update(read_at=posted)
    PostRead.objects.filter(post=reply).update(read_at=answered)
