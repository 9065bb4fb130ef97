"""Demo data of 消防・警察への提供 (三戸町's 要援護者台帳): a 三戸町 resident registered by the
三戸町役場's staff member ``demo-sannohe``, who recorded her consent and granted the
八戸地域広域市町村圏事務組合消防本部 access, and the named fire account ``demo-fire``. Safe to load again."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from renkei.continuity.models import AgencyGrant, EmergencyServicesConsent
from renkei.continuity.services import emergency_services as services
from renkei.continuity.services.kit import set_blood_type
from renkei.core.demo import demo_account
from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services as sharing
from renkei.sharing.models import Patient, TeamRole

SANNOHE = "024414"
HACHINOHE = "022039"
FIRE_DEPARTMENT = "八戸地域広域市町村圏事務組合消防本部"
RESIDENT = {
    "full_name": "架空 松子（デモ）",
    "full_name_kana": "かくう まつこ",
    "birth_date": date(1934, 8, 15),
    "sex": Patient.Sex.FEMALE,
    "address": "大字デモ字架空1番地（架空の住所）",
    "care_level": "care_1",
    "physician_text": "デモ三戸診療所（架空）",
    "emergency_contacts": "長女 架空 竹子（デモ） 000-0000-0009（架空）",
    "conditions": "高血圧（デモ）、軽度の認知症（デモ）",
    "allergies": "卵（デモ）",
    "medications": "デモ薬C 1日1回朝",
}


def _resident(owner: User, sannohe: Municipality) -> Patient:
    patient = Patient.objects.filter(organization=owner.organization, full_name=RESIDENT["full_name"]).first()
    if patient is not None:
        return patient
    patient = sharing.register_patient(
        owner, {**RESIDENT, "municipality": sannohe}, team_role=TeamRole.MUNICIPALITY
    )
    set_blood_type(owner, patient, "A+")
    return patient


def load(stdout) -> None:
    sannohe = Municipality.objects.filter(code=SANNOHE).first()
    hachinohe = Municipality.objects.filter(code=HACHINOHE).first()
    office = Organization.objects.filter(
        municipality__code=SANNOHE, kind=Organization.Kind.MUNICIPAL_OFFICE
    ).first()
    if sannohe is None or hachinohe is None or office is None:
        return
    staff, password = demo_account(
        "demo-sannohe", full_name="三戸 町子（デモ）", full_name_kana="さんのへ まちこ",
        email="demo-sannohe@example.invalid", organization=office, role=User.Role.MUNICIPALITY_STAFF,
    )  # fmt: skip
    agency, _created = Organization.objects.get_or_create(
        municipality=hachinohe,
        name=FIRE_DEPARTMENT,
        defaults={
            "kind": Organization.Kind.FIRE_DEPARTMENT,
            "kana": "はちのへちいきこういきしちょうそんけんじむくみあいしょうぼうほんぶ",
        },
    )
    demo_account(
        "demo-fire", full_name="消防 救子（デモ）", full_name_kana="しょうぼう きゅうこ",
        email="demo-fire@example.invalid", organization=agency, role=User.Role.EMERGENCY_SERVICES,
    )  # fmt: skip
    patient = _resident(staff, sannohe)
    if not EmergencyServicesConsent.objects.filter(patient=patient).exists():
        services.record_emergency_services_consent(
            staff,
            patient,
            {"given_by": RESIDENT["full_name"], "relationship": "本人", "method": "written",
             "given_on": timezone.localdate() - timedelta(days=14)},
        )  # fmt: skip
    if not AgencyGrant.objects.filter(municipality=sannohe, agency=agency).exists():
        services.grant_agency_access(staff, sannohe, agency, timezone.now() - timedelta(days=14))
    stdout.write(
        f"消防・警察への提供: {patient.full_name}さん（三戸町、同意あり）、{FIRE_DEPARTMENT}への提供許可"
        f" ／ 消防のアカウント demo-fire、三戸町職員 demo-sannohe（パスワード {password}）\n"
    )
