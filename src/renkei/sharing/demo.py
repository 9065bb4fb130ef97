"""Demo data of care-team sharing: three professionals of fictional offices in 八戸市 and one
fictional patient with a care team, consent and a few posts (the 多職種連携シート on its timeline is
filled by the sheets demo, :mod:`renkei.transitions.sheets.demo`). Safe to load again."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from renkei.core.demo import _demo_password, demo_account
from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services
from renkei.sharing.models import Patient, PostCategory, TeamRole

HACHINOHE = "022039"

PEOPLE = [
    # username, full name, kana, organisation, organisation kind, profession, team role
    (
        "demo-caremanager",
        "居宅 ケアマネ子（デモ）",
        "きょたく けあまねこ",
        "デモ居宅介護支援事業所（架空）",
        Organization.Kind.CARE_MANAGEMENT_OFFICE,
        User.Profession.CARE_MANAGER,
        TeamRole.CARE_MANAGER,
    ),
    (
        "demo-nurse",
        "訪問 看護美（デモ）",
        "ほうもん かんごみ",
        "デモ訪問看護ステーション（架空）",
        Organization.Kind.VISITING_NURSE_STATION,
        User.Profession.NURSE,
        TeamRole.VISITING_NURSE,
    ),
    (
        "demo-physician",
        "在宅 診太郎（デモ）",
        "ざいたく しんたろう",
        "デモ在宅クリニック（架空）",
        Organization.Kind.CLINIC,
        User.Profession.PHYSICIAN,
        TeamRole.PRIMARY_PHYSICIAN,
    ),
]

PATIENT = {
    "full_name": "架空 梅子（デモ）",
    "full_name_kana": "かくう うめこ",
    "birth_date": date(1936, 3, 3),
    "sex": Patient.Sex.FEMALE,
    "address": "デモ町1丁目2-3（架空の住所）",
    "care_level": "care_2",
    "physician_text": "デモ在宅クリニック（架空）",
    "emergency_contacts": "長男 架空 一郎（デモ） 000-0000-0000（架空）",
    "conditions": "心不全（デモ）、2型糖尿病（デモ）",
    "allergies": "なし（デモ）",
    "medications": "デモ薬A 1日1回朝、デモ薬B 1日2回朝夕",
}


def _person(username, full_name, kana, org_name, kind, profession, municipality) -> User:
    organization, _ = Organization.objects.get_or_create(
        municipality=municipality, name=org_name, defaults={"kind": kind}
    )
    user, _password = demo_account(
        username,
        full_name=full_name,
        full_name_kana=kana,
        organization=organization,
        role=User.Role.PROFESSIONAL,
        profession=profession,
    )
    return user


@transaction.atomic
def load(stdout) -> None:
    municipality = Municipality.objects.filter(code=HACHINOHE).first()
    if municipality is None:
        return
    password = _demo_password()
    users = {}
    for username, full_name, kana, org_name, kind, profession, role in PEOPLE:
        users[role] = _person(username, full_name, kana, org_name, kind, profession, municipality)
    cm = users[TeamRole.CARE_MANAGER]
    nurse = users[TeamRole.VISITING_NURSE]
    physician = users[TeamRole.PRIMARY_PHYSICIAN]

    if not Patient.objects.filter(
        organization=cm.organization, kana_key=services.kana_key(str(PATIENT["full_name_kana"]))
    ).exists():
        _demo_team(cm, nurse, physician, municipality)

    stdout.write("ケアチームのデモ利用者アカウント（初回ログイン時に認証アプリで2段階認証を設定します）\n")
    for username, full_name, *_rest in PEOPLE:
        stdout.write(f"  {full_name}: ユーザー名 {username} / パスワード {password}\n")


def _demo_team(cm: User, nurse: User, physician: User, municipality: Municipality) -> None:
    patient = services.register_patient(
        cm, {**PATIENT, "municipality": municipality}, team_role=TeamRole.CARE_MANAGER
    )
    services.record_consent(
        cm,
        patient,
        {
            "given_by": "架空 梅子（デモ）",
            "relationship": "本人",
            "given_on": timezone.localdate() - timedelta(days=7),
            "method": "written",
            "scope": "ケアチームの全職種（主治医・訪問看護・ケアマネジャー）",
        },
    )
    services.invite(cm, patient, physician, TeamRole.PRIMARY_PHYSICIAN)
    services.invite(cm, patient, nurse, TeamRole.VISITING_NURSE)
    first = services.create_post(
        cm,
        patient,
        category=PostCategory.CONTACT,
        body="退院後のサービス担当者会議を来週水曜14時に行います。ご都合をお知らせください。（デモ）",
    )
    services.create_post(
        nurse, patient, category=PostCategory.CONTACT, body="参加できます。（デモ）", parent=first
    )
    services.create_post(
        nurse,
        patient,
        category=PostCategory.VITALS,
        body="訪問時 血圧132/78、SpO2 96%、下肢のむくみ軽度。（デモ）",
    )
    services.create_post(
        nurse,
        patient,
        category=PostCategory.CONDITION_CHANGE,
        urgent=True,
        body="体重が3日で1.5kg増えています。主治医の先生、利尿薬の調整をご検討ください。（デモ）",
    )
