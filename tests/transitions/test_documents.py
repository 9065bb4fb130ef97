"""The 入院時情報提供書 and 退院・退所情報記録書: pre-filled from the patient's record, checked field by
field, sent to the hospital's 地域連携室 in Renkei (who then reads it, and only what was sent), and
printed as an A4 PDF."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from renkei.core.models import AccessLog
from renkei.sharing.models import Patient
from renkei.transitions import services
from renkei.transitions.models import TransitionDocument
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent
from tests.transitions.conftest import admit, tokyo

ADMISSION = {
    "family": "長男（同居）がキーパーソン",
    "housing": "持ち家2階建て、寝室は1階",
    "adl_eating": "independent",
    "adl_toileting": "supervision",
    "adl_bathing": "partial",
    "adl_mobility": "supervision",
    "adl_dressing": "supervision",
    "dementia_level": "Ⅱa",
    "disability_level": "A1",
    "copayment": "1",
    "conference_wish": "yes",
    "services": "訪問看護 週1回、デイサービス 週2回",
}


@pytest.fixture
def episode(cm, patient, liaison):
    patient.emergency_contacts = "長男 架空 一郎 000-0000-0000"
    patient.medications = "薬A 朝1錠"
    patient.conditions = "心不全"
    patient.allergies = "ペニシリン"
    patient.save()
    give_consent(patient, cm)
    return admit(cm, patient, tokyo(2026, 12, 3), expected_discharge=date(2026, 12, 10), liaison_user=liaison)


def test_the_admission_sheet_starts_from_the_patients_record(cm, episode):
    _, initial = services.new_document(cm, episode.pk, "admission_info")
    assert initial["emergency_contacts"] == "長男 架空 一郎 000-0000-0000"
    assert initial["medications"] == "薬A 朝1錠"
    assert initial["care_level"] == "要介護2"
    assert initial["conditions"] == "心不全"
    assert initial["allergies"] == "ペニシリン"


def test_every_problem_is_reported_at_once_and_nothing_is_written(cm, episode):
    with pytest.raises(services.TransitionError) as refused:
        services.create_document(
            cm,
            episode.pk,
            "admission_info",
            {**ADMISSION, "family": "", "dementia_level": "Ⅴ", "housing": "a\x00b"},
        )
    assert {e["field"] for e in refused.value.errors} == {"family", "dementia_level", "housing"}
    assert not TransitionDocument.objects.exists()


def test_sending_the_admission_sheet_records_the_admission_information(client, cm, liaison, episode):
    with time_machine.travel(tokyo(2026, 12, 4, 10), tick=False):
        document = services.create_document(cm, episode.pk, "admission_info", ADMISSION)
        # Not sent yet: the liaison does not see it.
        with pytest.raises(PermissionDenied):
            services.read_document(liaison, document.pk)
        verified_login(client, cm)
        assert client.post(f"/transitions/documents/{document.pk}/send/").status_code == 302
    episode.refresh_from_db()
    assert episode.admission_info_sent_at == tokyo(2026, 12, 4, 10)
    read = services.read_document(liaison, document.pk)
    assert read.content["patient"]["name"] == "架空 花子"
    assert read.content["family"] == "長男（同居）がキーパーソン"
    assert AccessLog.objects.filter(user=liaison, action="view", object_type="transition_document").exists()


def test_the_liaison_does_not_write_the_care_managers_sheet(liaison, episode):
    with pytest.raises(PermissionDenied):
        services.new_document(liaison, episode.pk, "admission_info")


def test_strangers_see_no_document(cm, cm_colleague, episode):
    document = services.create_document(cm, episode.pk, "admission_info", ADMISSION)
    with pytest.raises(PermissionDenied):
        services.read_document(cm_colleague, document.pk)
    with pytest.raises(PermissionDenied):
        services.document_pdf(cm_colleague, document.pk)


def test_the_discharge_record_by_the_liaison_is_the_hospitals_contact(cm, liaison, episode):
    with time_machine.travel(tokyo(2026, 12, 6, 15)):
        document = services.create_document(
            liaison,
            episode.pk,
            "discharge_record",
            {
                "cause": "心不全の増悪",
                "expected_discharge": "2026-12-10",
                "medical_management": "体重測定 毎朝",
                "adl_mobility": "partial",
                "conference_held": "yes",
                "conference_at": "2026-12-08T14:00",
                "heard_from": "病棟看護師 連携 花子",
                "heard_at": "2026-12-06T14:30",
            },
        )
    episode.refresh_from_db()
    assert episode.discharge_contacted_at == tokyo(2026, 12, 6, 14, 30)
    assert services.read_document(cm, document.pk).content["cause"] == "心不全の増悪"
    assert services.read_document(liaison, document.pk).pk == document.pk  # wrote it, so reads it


def test_pages_and_the_a4_pdf(client, cm, carol, episode):
    add_member(episode.patient, cm, carol)
    verified_login(client, cm)
    form = client.get(f"/transitions/episodes/{episode.pk}/documents/new/admission_info/").content.decode()
    assert "長男 架空 一郎 000-0000-0000" in form
    response = client.post(f"/transitions/episodes/{episode.pk}/documents/new/admission_info/", ADMISSION)
    assert response.status_code == 302
    document = TransitionDocument.objects.get()
    page = client.get(f"/transitions/documents/{document.pk}/").content.decode()
    assert "家族構成・キーパーソン" in page and "Ⅱa" in page
    verified_login(client, carol)
    pdf = client.get(f"/transitions/documents/{document.pk}/document.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as opened:
        text = "".join(page.extract_text() or "" for page in opened.pages)
        width, height = opened.pages[0].width, opened.pages[0].height
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    flat = "".join(text.split())  # the title is letter-spaced; long labels wrap in their cell
    for expected in ("入院時情報提供書", "架空花子", "長男（同居）がキーパーソン", "障害高齢者の", "A1"):
        assert expected in flat, expected
    assert AccessLog.objects.filter(
        user=carol, action="print", object_type="transition_document_pdf"
    ).exists()


def test_the_document_keeps_the_patient_as_they_were(cm, episode):
    document = services.create_document(cm, episode.pk, "admission_info", ADMISSION)
    Patient.objects.filter(pk=episode.patient_id).update(full_name="改姓 花子")
    assert services.read_document(cm, document.pk).content["patient"]["name"] == "架空 花子"
