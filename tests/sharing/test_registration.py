from __future__ import annotations

from renkei.core.models import AccessLog
from renkei.sharing.models import CareTeamMembership, Patient
from tests.core.totp import verified_login

FORM = {
    "full_name": "架空 太郎",
    "full_name_kana": "カクウ タロウ",
    "birth_date": "1940-01-15",
    "sex": "male",
    "municipality": "",
    "address": "テスト町4-5-6",
    "insurance_number": "",
    "care_level": "care_1",
    "team_role": "care_manager",
}


def _form(hachinohe, **changes):
    return {**FORM, "municipality": hachinohe.pk, **changes}


def test_care_manager_registers_a_patient_and_becomes_its_first_member(client, cm, hachinohe):
    verified_login(client, cm)
    response = client.post("/patients/new/", _form(hachinohe, insurance_number="0123456789"))
    patient = Patient.objects.get()
    assert response["Location"] == f"/patients/{patient.pk}/"
    assert patient.organization == cm.organization
    assert CareTeamMembership.objects.get(patient=patient).user == cm
    assert AccessLog.objects.filter(user=cm, action="create", subject_id=str(patient.pk)).exists()


def test_insurance_number_must_be_ten_digits(client, cm, hachinohe):
    verified_login(client, cm)
    response = client.post("/patients/new/", _form(hachinohe, insurance_number="12345"))
    assert response.status_code == 400
    assert "介護保険被保険者番号は10桁の数字で入力してください。" in response.content.decode()
    assert Patient.objects.count() == 0


def test_second_record_with_same_kana_and_birth_date_is_warned_before_it_is_made(
    client, cm, carol, hachinohe
):
    verified_login(client, cm)
    client.post("/patients/new/", _form(hachinohe))
    verified_login(client, carol)
    # Same person typed in hiragana with different spacing.
    response = client.post(
        "/patients/new/", _form(hachinohe, full_name_kana="かくうたろう", team_role="visiting_nurse")
    )
    assert response.status_code == 400
    assert "同じふりがな・生年月日の利用者が圏域内ですでに登録されています" in response.content.decode()
    assert Patient.objects.count() == 1
    # The warning tells carol that a record exists: that lookup is in the owner's access log, flagged.
    first = Patient.objects.get()
    lookup = AccessLog.objects.get(user=carol, object_type="duplicate_check")
    assert (lookup.subject_id, lookup.flagged) == (str(first.pk), True)
    response = client.post(
        "/patients/new/",
        _form(
            hachinohe, full_name_kana="かくうたろう", team_role="visiting_nurse", confirm_not_duplicate="on"
        ),
    )
    assert response.status_code == 302
    assert Patient.objects.count() == 2


def test_region_administrator_cannot_register_patients(client, alice):
    verified_login(client, alice)
    assert client.get("/patients/new/").status_code == 403
    assert client.get("/patients/").status_code == 403


def test_owner_updates_the_record_and_other_members_cannot(client, cm, carol, hachinohe):
    from tests.sharing.conftest import add_member, give_consent, register

    patient = register(cm)
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    verified_login(client, carol)
    assert client.get(f"/patients/{patient.pk}/edit/").status_code == 403
    verified_login(client, cm)
    response = client.post(
        f"/patients/{patient.pk}/edit/",
        _form(
            hachinohe,
            full_name="架空 花子",
            full_name_kana="かくう はなこ",
            birth_date="1938-04-02",
            sex="female",
            care_level="care_3",
            allergies="ペニシリン",
        ),
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.care_level, patient.allergies) == ("care_3", "ペニシリン")
    assert AccessLog.objects.filter(user=cm, action="update", object_type="patient").count() == 1


def test_family_doctor_is_chosen_from_the_directory(client, cm, hachinohe):
    from renkei.directory.models import Facility

    clinic = Facility.objects.create(name="テスト在宅クリニック", category="clinic", municipality=hachinohe)
    clinic.set_search_fields([])
    clinic.save()
    verified_login(client, cm)
    found = client.post("/patients/new/", _form(hachinohe, physician_query="テスト在宅", find_physician="1"))
    assert "テスト在宅クリニック（八戸市・診療所）" in found.content.decode()
    client.post("/patients/new/", _form(hachinohe, physician_facility=clinic.pk))
    patient = Patient.objects.get()
    assert patient.physician_facility == clinic
    page = client.get(f"/patients/{patient.pk}/").content.decode()
    assert f'href="/facilities/{clinic.pk}/"' in page
