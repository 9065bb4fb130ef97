"""The 救急医療情報キット: the PDF's text read back matches the record; each print is kept with its
version code; a changed value asks for a reprint; printing is logged; only the team prints."""

from __future__ import annotations

import io
import re
from datetime import date
from io import StringIO

import pdfplumber
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from renkei.continuity import services
from renkei.continuity.models import KitPrint, LifeSustaining
from renkei.continuity.services.duty import at
from renkei.core.models import AccessLog
from renkei.directory.models import Facility
from renkei.sharing import services as sharing
from renkei.sharing.models import TeamRole
from tests.core.totp import verified_login
from tests.sharing.conftest import break_glass

from .conftest import add_member, give_consent, register


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def kit_patient(cm, carol, hachinohe):
    clinic = Facility.objects.create(
        name="テスト内科クリニック", category="clinic", municipality=hachinohe, phone="0178-22-3333"
    )
    patient = register(
        cm,
        physician_facility=clinic,
        conditions="心不全",
        medications="ラシックス 1日1回朝",
        allergies="ペニシリン",
        emergency_contacts="長男 架空一郎 090-1111-2222",
    )
    give_consent(patient, cm)
    add_member(patient, cm, carol, TeamRole.VISITING_NURSE)
    services.set_blood_type(cm, patient, "A+")
    with time_machine.travel(at(date(2026, 11, 10), 10), tick=False):
        services.record_acp(
            cm,
            patient,
            {"discussed_on": date(2026, 10, 1), "participants": "本人、長男、ケアマネ",
             "place_of_death": "自宅", "life_sustaining": LifeSustaining.DECLINES,
             "surrogate": "長男 架空一郎", "review_on": date(2027, 4, 1)},
        )  # fmt: skip
    return patient


@time_machine.travel(at(date(2026, 12, 3), 21, 0), tick=False)
def test_the_kit_pdf_says_what_the_record_says(kit_patient, carol):
    content, printed = services.print_kit(carol, kit_patient)
    assert content.startswith(b"%PDF")
    text = squeeze(pdf_text(content))
    expected = [
        "救急医療情報キット",
        "架空花子",
        "かくうはなこ",
        "1938年4月2日",
        "A型Rh+",
        "心不全",
        "テスト内科クリニック",
        "0178-22-3333",
        "ラシックス1日1回朝",
        "ペニシリン",
        "長男架空一郎090-1111-2222",
        "ケアマネジャー:三戸ケアマネ（テスト居宅介護支援事業所）",
        "延命治療:希望しない",
        "最期を迎えたい場所:自宅",
        "（2026年10月1日の人生会議）",
        "印刷日2026年12月3日",
        f"版コード{printed.version_code}",
        "記載内容が変わったら印刷し直してください",
        "冷蔵庫の中にあります",
        "玄関の扉の内側に貼ってください",
    ]
    assert [piece for piece in expected if piece not in text] == [], text
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}", printed.version_code)


def test_a_changed_value_asks_for_a_reprint(kit_patient, cm):
    _content, first = services.print_kit(cm, kit_patient)
    assert services.reprint_notice(kit_patient) is None
    sharing.update_patient(cm, kit_patient, {"allergies": "ペニシリン、卵"})
    notice = services.reprint_notice(kit_patient)
    assert notice is not None
    assert notice.changed == ["アレルギー"]
    assert notice.printed == first
    assert notice.current_code != first.version_code
    _content, second = services.print_kit(cm, kit_patient)
    assert second.version_code == notice.current_code
    assert services.reprint_notice(kit_patient) is None


def test_the_same_record_prints_the_same_code(kit_patient, cm, carol):
    _a, first = services.print_kit(cm, kit_patient)
    _b, second = services.print_kit(carol, kit_patient)
    assert first.version_code == second.version_code


def test_the_command_writes_the_pdf_and_logs_the_print(kit_patient, carol, tmp_path):
    out = tmp_path / "kit.pdf"
    printed = StringIO()
    call_command("continuity", "kit", str(kit_patient.pk), "--user", "carol", str(out), stdout=printed)
    assert "架空花子" in squeeze(pdf_text(out.read_bytes()))
    kit = KitPrint.objects.get()
    assert kit.version_code in printed.getvalue()
    row = AccessLog.objects.get(user=carol, object_type="emergency_kit")
    assert (row.action, row.subject_id, row.object_id, row.via) == (
        "print",
        str(kit_patient.pk),
        str(kit.pk),
        "cli",
    )


def test_strangers_and_emergency_readers_do_not_print(kit_patient, cm_colleague, er_doctor, tmp_path):
    with pytest.raises(PermissionDenied):
        services.print_kit(cm_colleague, kit_patient)
    break_glass(er_doctor, kit_patient)
    with pytest.raises(PermissionDenied):
        services.print_kit(er_doctor, kit_patient)
    with pytest.raises(CommandError):
        call_command("continuity", "kit", str(kit_patient.pk), "--user", "cm2", str(tmp_path / "x.pdf"))
    assert KitPrint.objects.count() == 0


def test_the_page_downloads_the_kit(kit_patient, carol, client):
    verified_login(client, carol)
    response = client.get(f"/continuity/patients/{kit_patient.pk}/kit.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
