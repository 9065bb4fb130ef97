"""On a 360 px phone: a visiting nurse sets the patient's night contact path (the clinic's on-call
doctor, then 119), sees who answers tonight, sets the blood type and prints the 救急医療情報キット."""

from __future__ import annotations

import io
import re
from datetime import date, time, timedelta

import pdfplumber
import pytest
from django.utils import timezone

from renkei.continuity import services
from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services as sharing
from renkei.sharing.models import Patient, TeamRole
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device

pytestmark = pytest.mark.usefixtures("region_data")


def _organization(name: str, kind: str) -> Organization:
    return Organization.objects.create(
        name=name, kind=kind, municipality=Municipality.objects.get(code="022039")
    )


def _setup() -> tuple[User, Patient]:
    office = _organization("テスト居宅介護支援事業所", Organization.Kind.CARE_MANAGEMENT_OFFICE)
    station = _organization("テスト訪問看護ステーション", Organization.Kind.VISITING_NURSE_STATION)
    clinic = _organization("テスト在宅クリニック", Organization.Kind.CLINIC)
    cm = make_user("cm", office, User.Role.PROFESSIONAL, profession=User.Profession.CARE_MANAGER)
    nurse = make_user(
        "nurse", station, User.Role.PROFESSIONAL, profession=User.Profession.NURSE, full_name="八戸 看護"
    )
    doctor = make_user(
        "doctor", clinic, User.Role.PROFESSIONAL, profession=User.Profession.PHYSICIAN, full_name="当番 医師"
    )
    patient = sharing.register_patient(
        cm,
        {"full_name": "架空 花子", "full_name_kana": "かくう はなこ", "birth_date": date(1938, 4, 2),
         "sex": Patient.Sex.FEMALE, "municipality": Municipality.objects.get(code="022039"),
         "allergies": "ペニシリン"},
    )  # fmt: skip
    sharing.record_consent(
        cm,
        patient,
        {"given_by": "架空 花子", "relationship": "本人", "given_on": date(2026, 11, 1), "method": "written"},
    )
    sharing.invite(cm, patient, nurse, TeamRole.VISITING_NURSE)
    sharing.invite(cm, patient, doctor, TeamRole.PRIMARY_PHYSICIAN)
    # The clinic's doctor is on duty around the clock, every day: whatever the hour the test runs.
    rota = services.create_rota(
        doctor, clinic, {"name": "当番", "valid_from": timezone.localdate() - timedelta(days=2)}
    )
    for day in range(8):
        services.add_slot(
            doctor, rota, {"day": day, "starts": time(0, 0), "ends": time(0, 0), "user": doctor}
        )
    return nurse, patient


def test_a_nurse_sets_the_path_and_prints_the_kit_on_a_phone(live_server, phone_page):
    nurse, patient = _setup()
    page = phone_page
    log_in(page, live_server, "nurse", PASSWORD, device=confirmed_totp_device(nurse))
    page.goto(f"{live_server.url}/continuity/patients/{patient.pk}/path/")
    page.get_by_role("heading", name=re.compile("連絡経路")).first.wait_for()
    assert page.get_by_test_id("all-unreachable").is_visible()

    page.get_by_label("連絡先の種類").select_option(label="組織の当番（当番表）")
    page.get_by_label("当番のある組織").select_option(label="テスト在宅クリニック")
    page.get_by_label("電話番号").fill("0178-00-1234")
    page.get_by_label("この段階ですること").fill("当番医に状態を伝え、往診を依頼する")
    page.get_by_role("button", name="追加する").click()
    page.get_by_label("連絡先の種類").select_option(label="救急（119番）")
    page.get_by_role("button", name="追加する").click()

    path = page.get_by_test_id("contact-path")
    path.get_by_text("テスト在宅クリニックの当番: 当番 医師").wait_for()
    assert path.get_by_text("119番通報", exact=True).is_visible()
    assert page.get_by_test_id("all-unreachable").count() == 0
    assert_fits_width(page)
    assert_accessible(page)

    page.get_by_label("血液型").select_option(label="B型 Rh+")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("血液型を保存しました。").wait_for()
    with page.expect_download() as download:
        page.get_by_test_id("kit-link").click()
    with pdfplumber.open(io.BytesIO(open(download.value.path(), "rb").read())) as pdf:
        text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pdf.pages))
    assert "架空花子" in text and "B型Rh+" in text and "ペニシリン" in text

    page.goto(f"{live_server.url}/continuity/patients/{patient.pk}/path/print/")
    page.get_by_text("印刷日時").wait_for()
    assert_fits_width(page)
    assert_accessible(page)
