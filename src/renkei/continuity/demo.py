"""Demo data of nights, holidays and emergencies, on the sharing demo (架空 梅子 and her team): the
clinic's and the nurse station's rotas (with a gap on Wednesday nights, shown as such), her contact
path, one 人生会議 and her blood type for the kit; 新郷村's 日常生活圏域. Safe to load again."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from renkei.continuity import services
from renkei.continuity.models import ContactStep, DayKind, LifeSustaining, LivingArea, OnCallRota, StepKind
from renkei.continuity.services import cover_areas
from renkei.core.demo import demo_account
from renkei.core.models import User
from renkei.directory.models import Facility
from renkei.sharing.models import CareTeamMembership, Patient, TeamRole

NIGHT, MORNING = time(17, 30), time(8, 30)


def _backup_physician(physician: User) -> User:
    user, _password = demo_account(
        "demo-physician2",
        full_name="副主治 医次郎（デモ）",
        full_name_kana="ふくしゅじ いじろう",
        organization=physician.organization,
        role=User.Role.PROFESSIONAL,
        profession=User.Profession.PHYSICIAN,
    )
    return user


def _rotas(physician: User, backup: User, nurse: User) -> None:
    assert physician.organization is not None and nurse.organization is not None
    start = timezone.localdate().replace(day=1)
    clinic = services.create_rota(
        physician, physician.organization, {"name": "主治医・副主治医の当番（デモ）", "valid_from": start}
    )
    for day, person in [(0, physician), (1, backup), (3, backup), (4, physician)]:
        services.add_slot(physician, clinic, {"day": day, "starts": NIGHT, "ends": MORNING, "user": person})
    # Wednesday nights are left open on purpose: the demo shows a gap in red.
    for day, person in [(DayKind.SATURDAY, backup), (DayKind.SUNDAY, physician), (DayKind.HOLIDAY, backup)]:
        services.add_slot(physician, clinic, {"day": day, "starts": MORNING, "ends": MORNING, "user": person})
    station = services.create_rota(
        nurse, nurse.organization, {"name": "訪問看護 24時間対応（デモ）", "valid_from": start}
    )
    for day in range(5):
        services.add_slot(nurse, station, {"day": day, "starts": NIGHT, "ends": MORNING, "user": nurse})
    for day in (DayKind.SATURDAY, DayKind.SUNDAY, DayKind.HOLIDAY):
        services.add_slot(nurse, station, {"day": day, "starts": MORNING, "ends": MORNING, "user": nurse})


def _path(patient: Patient, cm: User, physician: User, nurse: User) -> None:
    doctor = CareTeamMembership.objects.get(patient=patient, user=physician, left_at=None)
    steps: list[dict[str, Any]] = [
        {"kind": StepKind.ON_CALL, "organization": nurse.organization, "phone": "000-0000-0001",
         "instructions": "まず訪問看護の24時間電話へ。状態（呼吸・意識・体温）を伝える。（デモ）"},
        {"kind": StepKind.ON_CALL, "organization": physician.organization, "phone": "000-0000-0002",
         "instructions": "看護師から主治医・副主治医の当番医へ連絡し、往診の要否を相談。（デモ）"},
        {"kind": StepKind.MEMBER, "member": doctor, "phone": "000-0000-0003",
         "instructions": "当番医につながらないときは主治医の携帯へ。（デモ）"},
    ]  # fmt: skip
    hospital = Facility.objects.filter(round_the_clock=True, municipality=patient.municipality).first()
    if hospital is not None:
        steps.append({"kind": StepKind.FACILITY, "facility": hospital, "instructions": "24時間の相談窓口。"})
    steps.append(
        {"kind": StepKind.EMERGENCY, "instructions": "呼吸が止まっている・意識がないときは迷わず119。"}
    )
    for data in steps:
        services.add_step(cm, patient, data)
    services.record_acp(
        cm,
        patient,
        {
            "discussed_on": timezone.localdate() - timedelta(days=30),
            "participants": "本人、長男、主治医、訪問看護、ケアマネジャー（デモ）",
            "place_of_care": "自宅",
            "place_of_death": "できれば自宅",
            "life_sustaining": LifeSustaining.DECLINES,
            "life_sustaining_note": "心肺蘇生・人工呼吸器は望まない。苦痛をとる治療は希望。（デモ）",
            "surrogate": "長男 架空 一郎（デモ）",
            "what_matters": "住み慣れた家で、長男と過ごしたい。（デモ）",
            "review_on": timezone.localdate() + timedelta(days=150),
        },
    )
    services.set_blood_type(cm, patient, "O+")


def _living_areas(municipal: User | None) -> None:
    """新郷村's two 日常生活圏域, so the cover table shows its 圏域 breakdown."""
    if municipal is None or municipal.organization is None or municipal.organization.municipality is None:
        return
    village = municipal.organization.municipality
    for name, towns in (("戸来圏域", ["戸来"]), ("西越圏域", ["西越"])):
        if not LivingArea.objects.filter(municipality=village, name=name).exists():
            cover_areas.save_living_area(municipal, village, name, towns)


@transaction.atomic
def load(stdout) -> None:
    users = {user.username: user for user in User.objects.filter(username__startswith="demo-")}
    cm, nurse, physician = (users.get(f"demo-{name}") for name in ("caremanager", "nurse", "physician"))
    patient = Patient.objects.filter(full_name="架空 梅子（デモ）").first() if cm else None
    if cm is None or nurse is None or physician is None or patient is None:
        return
    backup = _backup_physician(physician)
    if not CareTeamMembership.objects.filter(patient=patient, user=backup, left_at=None).exists():
        from renkei.sharing import services as sharing

        sharing.invite(cm, patient, backup, TeamRole.BACKUP_PHYSICIAN)
    if not OnCallRota.objects.filter(organization=physician.organization).exists():
        _rotas(physician, backup, nurse)
    if not ContactStep.objects.filter(patient=patient).exists():
        _path(patient, cm, physician, nurse)
    stdout.write(
        f"夜間・休日の連絡体制: 当番表2件、{patient.full_name}さんの連絡経路・人生会議（副主治医: demo-physician2）"
        f" ／ 確認: renkei continuity tonight --at {date.today().isoformat()}T22:00 --user demo-caremanager\n"
    )
    _living_areas(users.get("demo-municipal"))
    from renkei.continuity import emergency_demo

    emergency_demo.load(stdout)
