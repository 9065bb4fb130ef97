"""Demo data of the sheets: the region's 多職種連携シート as a definition, filled by the demo care
manager on 架空 梅子's timeline (care-team sharing's demo patient), 新郷村's own 共有シート (its demo
staff account may edit it) and one filled on a demo patient living in 新郷村. Safe to load again:
nothing is created twice."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from renkei.core.demo import demo_account
from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services as sharing
from renkei.sharing.models import PROCEDURE_CHOICES, AdlLevel, CollaborationSheet, Patient, TeamRole
from renkei.transitions.models import FilledSheet, SheetDefinition
from renkei.transitions.services import sheets
from renkei.transitions.sheets import schema
from renkei.transitions.sheets.seed import COLLABORATION_KEY, seed_collaboration_sheet

HACHINOHE = "022039"

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


def _collaboration_sheet_answers(cm: User) -> dict[str, object]:
    procedures = dict(PROCEDURE_CHOICES)
    return {
        "recipient": "デモ在宅クリニック（架空） 在宅 診太郎 先生",
        "current_status": "退院後2週間。自宅で長男と二人暮らし。日中は独居。（デモ）",
        "adl_eating": AdlLevel.INDEPENDENT.label,
        "adl_toileting": AdlLevel.SUPERVISION.label,
        "adl_bathing": AdlLevel.PARTIAL.label,
        "adl_mobility": AdlLevel.SUPERVISION.label,
        "adl_dressing": AdlLevel.SUPERVISION.label,
        "procedures": [procedures["home_oxygen"]],
        "procedures_notes": "在宅酸素 安静時1L/分（デモ）",
        "request": "デイサービス利用時の入浴の可否についてご指示をお願いします。（デモ）",
        "contact_person": cm.full_name,
        "contact_phone": "000-000-0000（架空）",
    }


def _umeko_collaboration_sheet() -> None:
    """The demo care manager fills the region's 多職種連携シート on 架空 梅子's timeline, once."""
    hachinohe = Municipality.objects.filter(code=HACHINOHE).first()
    cm = User.objects.filter(username="demo-caremanager").first()
    if hachinohe is None or hachinohe.region is None or cm is None:
        return
    patient = Patient.objects.filter(organization=cm.organization, full_name_kana="かくう うめこ").first()
    if patient is None:
        return
    written = FilledSheet.objects.filter(post__patient=patient, version__definition__key=COLLABORATION_KEY)
    # Demo data older than the defined sheet has it written with the retired fixed form.
    if written.exists() or CollaborationSheet.objects.filter(post__patient=patient).exists():
        return
    seed_collaboration_sheet(hachinohe.region)
    _, version = sheets.collaboration_version(cm, patient.pk)
    assert version is not None
    sheets.fill_sheet(cm, patient.pk, version.pk, _collaboration_sheet_answers(cm))


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
    _umeko_collaboration_sheet()
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
