"""Demo data of the sheets: the region's 多職種連携シート as a definition, 新郷村's own 共有シート
(its demo staff account may edit it) and one filled on a demo patient living in 新郷村. Safe to load
again: nothing is created twice."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from renkei.core.demo import demo_account
from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services as sharing
from renkei.sharing.models import Patient, TeamRole
from renkei.transitions.models import FilledSheet, SheetDefinition
from renkei.transitions.services import sheets
from renkei.transitions.sheets import schema
from renkei.transitions.sheets.seed import seed_collaboration_sheet

SHINGO = "024503"
SHINGO_SHEET = "shingo-shared-sheet"
SHINGO_OFFICE = "デモ新郷居宅介護支援事業所（架空）"
SHINGO_CARE_MANAGER = "demo-caremanager-shingo"
SHINGO_FIELDS = [
    {"key": "written_on", "label": "記入日", "kind": schema.DATE, "required": True},
    {
        "key": "purpose",
        "label": "連絡の種類",
        "kind": schema.CHOICE,
        "required": True,
        "choices": ["情報共有", "相談", "依頼", "報告"],
    },
    {"key": "condition", "label": "本人の様子", "kind": schema.LONG_TEXT, "required": True},
    {
        "key": "outside_region",
        "label": "圏域外の医療機関へ通院している",
        "kind": schema.YES_NO,
        "required": True,
    },
    {
        "key": "outside_hospital",
        "label": "通院先の医療機関（圏域外）",
        "kind": schema.SHORT_TEXT,
        "required": False,
    },
    {"key": "next_visit", "label": "次回の受診日", "kind": schema.DATE, "required": False},
    {"key": "weight", "label": "体重（kg）", "kind": schema.NUMBER, "required": False},
    {
        "key": "support",
        "label": "必要な支援",
        "kind": schema.MULTIPLE_CHOICE,
        "required": False,
        "choices": ["見守り", "買い物", "通院の付き添い", "配食", "服薬の確認"],
    },
    {"key": "request", "label": "連絡してほしいこと", "kind": schema.LONG_TEXT, "required": False},
    {"key": "contact", "label": "記入者の連絡先", "kind": schema.SHORT_TEXT, "required": True},
]
PATIENT = {
    "full_name": "架空 竹子（デモ）",
    "full_name_kana": "かくう たけこ",
    "birth_date": date(1940, 8, 8),
    "sex": Patient.Sex.FEMALE,
    "address": "デモ村4-5（架空の住所）",
    "care_level": "care_1",
}


def _shingo_care_manager(shingo: Municipality) -> User:
    """A care manager of a 新郷村 office keeps the example patient, so the 八戸 demo care manager's
    caseload (which other demos count) stays as it was."""
    office, _ = Organization.objects.get_or_create(
        municipality=shingo, name=SHINGO_OFFICE, defaults={"kind": Organization.Kind.CARE_MANAGEMENT_OFFICE}
    )
    user, _password = demo_account(
        SHINGO_CARE_MANAGER,
        full_name="新郷 ケアマネ（デモ）",
        full_name_kana="しんごう けあまね",
        organization=office,
        role=User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
    )
    return user


@transaction.atomic
def load(stdout) -> None:
    shingo = Municipality.objects.filter(code=SHINGO).select_related("region").first()
    staff = User.objects.filter(username="demo-municipal").first()
    if shingo is None or shingo.region is None or staff is None:
        return
    seed_collaboration_sheet(shingo.region)
    if SheetDefinition.objects.filter(municipality=shingo, key=SHINGO_SHEET).exists():
        return
    cm = _shingo_care_manager(shingo)
    definition = sheets.create_definition(staff, shingo, "新郷村 共有シート", SHINGO_SHEET, SHINGO_FIELDS)
    version = sheets.publish(staff, definition.versions.get().pk)
    patient = sharing.register_patient(
        cm, {**PATIENT, "municipality": shingo}, team_role=TeamRole.CARE_MANAGER
    )
    sharing.record_consent(
        cm,
        patient,
        {
            "given_by": "架空 竹子（デモ）",
            "relationship": "本人",
            "given_on": timezone.localdate() - timedelta(days=3),
            "method": "written",
            "scope": "ケアチームの全職種",
        },
    )
    filled = sheets.fill_sheet(
        cm,
        patient.pk,
        version.pk,
        {
            "written_on": timezone.localdate().isoformat(),
            "purpose": "情報共有",
            "condition": "一人暮らし。膝の痛みで買い物に出にくくなっている。（デモ）",
            "outside_region": True,
            "outside_hospital": "デモ県立病院（架空・圏域外）",
            "weight": 48.5,
            "support": ["買い物", "通院の付き添い"],
            "contact": "000-000-0000（架空）",
        },
    )
    assert FilledSheet.objects.filter(pk=filled.pk).exists()
    stdout.write(
        "連携シートのデモ: 多職種連携シート（圏域）と新郷村 共有シート（demo-municipal が編集できます）、"
        f"記入例は 架空 竹子（デモ）さんのタイムライン（担当 {SHINGO_CARE_MANAGER}）\n"
    )
