"""A case may be linked to a registered patient; the name shows only to people who see that patient."""

from __future__ import annotations

import pytest
import time_machine

from renkei.consultations.models import Consultation
from renkei.core.models import AccessLog, Organization, User
from renkei.sharing.models import TeamRole
from tests.conftest import make_user
from tests.consultations.api_client import bearer
from tests.consultations.conftest import make_consultation, tokyo
from tests.consultations.test_recording import form_data
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent, register

NAME = "架空 花子"
KANA = "かくう はなこ"
PLACEHOLDER = "登録済み利用者（表示権限なし）"
NOW = tokyo(2026, 11, 20, 10, 30)


@pytest.fixture
def cm(hachinohe) -> User:
    """The care manager who registered the patient: the record belongs to her office."""
    office = Organization.objects.create(
        name="テスト居宅介護支援事業所", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE, municipality=hachinohe
    )
    return make_user(
        "cm",
        office,
        User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
        full_name="三戸 ケアマネ",
    )


@pytest.fixture
def fay(gonohe_desk) -> User:
    """Fay works at the same desk as Dan but is on no care team."""
    return make_user(
        "fay",
        gonohe_desk,
        User.Role.PROFESSIONAL,
        profession=User.Profession.SOCIAL_WORKER,
        full_name="五戸 フェイ",
    )


@pytest.fixture
def patient(cm, dan):
    """Registered by another organisation; consent in force; Dan (desk) is on the care team."""
    with time_machine.travel(tokyo(2026, 11, 1, 9, 0), tick=False):
        patient = register(cm)
        give_consent(patient, cm)
        add_member(patient, cm, dan, TeamRole.COMMUNITY_SUPPORT_CENTER)
    return patient


def patient_reads(user) -> int:
    return AccessLog.objects.filter(user=user, subject_type="patient").count()


@time_machine.travel(NOW, tick=False)
def test_desk_worker_on_the_care_team_links_the_patient_and_sees_the_name(client, dan, patient, categories):
    verified_login(client, dan)
    form_page = client.get("/consultations/new/")
    assert KANA in form_page.content.decode()

    response = client.post(
        "/consultations/new/", form_data(categories, received_at="2026-11-20T10:00", patient=patient.pk)
    )

    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.patient == patient
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert NAME in page
    assert f'href="/patients/{patient.pk}/"' in page
    assert PLACEHOLDER not in page
    log = AccessLog.objects.get(user=dan, subject_type="patient", action=AccessLog.Action.VIEW)
    assert (log.subject_id, log.object_type, log.object_id) == (
        str(patient.pk),
        "consultation",
        str(consultation.pk),
    )


@time_machine.travel(NOW, tick=False)
def test_desk_colleague_off_the_team_sees_a_placeholder_and_leaves_no_patient_log_row(
    client, dan, fay, patient, categories, gonohe_desk
):
    consultation = make_consultation(
        gonohe_desk, tokyo(2026, 11, 19, 9, 0), categories=[categories["認知症"]], patient=patient
    )
    verified_login(client, fay)

    detail = client.get(f"/consultations/{consultation.pk}/").content.decode()
    edit = client.get(f"/consultations/{consultation.pk}/edit/").content.decode()

    for page in (detail, edit):
        assert PLACEHOLDER in page
        assert NAME not in page
        assert KANA not in page
    assert f"/patients/{patient.pk}/" not in detail
    assert patient_reads(fay) == 0


@time_machine.travel(NOW, tick=False)
def test_colleague_correcting_a_linked_case_keeps_the_link_she_cannot_see(
    client, fay, patient, categories, gonohe_desk
):
    consultation = make_consultation(
        gonohe_desk, tokyo(2026, 11, 19, 9, 0), categories=[categories["認知症"]], patient=patient
    )
    verified_login(client, fay)

    response = client.post(
        f"/consultations/{consultation.pk}/edit/",
        form_data(categories, received_at="2026-11-19T09:00", minutes_spent="45", patient=patient.pk),
    )

    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.minutes_spent, consultation.patient_id) == (45, patient.pk)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("forged", ["team", "unknown"])
def test_forged_patient_id_in_the_form_is_refused_and_nothing_is_saved(
    client, fay, patient, categories, forged
):
    verified_login(client, fay)
    patient_id = patient.pk if forged == "team" else patient.pk + 1000

    response = client.post(
        "/consultations/new/", form_data(categories, received_at="2026-11-20T10:00", patient=patient_id)
    )

    assert response.status_code == 400
    page = response.content.decode()
    expected = (
        "この利用者は紐づけられません" if forged == "team" else "指定された利用者は登録されていません。"
    )
    assert expected in page
    assert NAME not in page
    assert Consultation.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_forged_patient_id_in_the_api_is_refused_and_nothing_is_saved(client, dan, fay, patient, categories):
    payload = {
        "received_at": "2026-11-20T10:00:00+09:00",
        "channel": "phone",
        "requester_type": "family",
        "response": "information",
        "category_ids": [categories["認知症"].pk],
    }

    forbidden = client.post(
        "/api/v1/consultations/",
        {**payload, "patient_id": patient.pk},
        content_type="application/json",
        **bearer(fay),
    )
    unknown = client.post(
        "/api/v1/consultations/",
        {**payload, "patient_id": patient.pk + 1000},
        content_type="application/json",
        **bearer(dan),
    )

    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "permission_denied"
    assert unknown.status_code == 400
    assert [d["location"] for d in unknown.json()["error"]["details"]] == ["patient_id"]
    assert Consultation.objects.count() == 0

    linked = client.post(
        "/api/v1/consultations/",
        {**payload, "patient_id": patient.pk},
        content_type="application/json",
        **bearer(dan),
    )
    assert linked.status_code == 201
    assert linked.json()["patient_linked"] is True
    assert NAME not in linked.content.decode()
    assert Consultation.objects.get().patient == patient


def test_after_consent_is_withdrawn_the_desk_worker_of_another_organisation_no_longer_sees_the_name(
    client, cm, dan, patient, categories, gonohe_desk
):
    from renkei.sharing import services as sharing

    consultation = make_consultation(
        gonohe_desk, tokyo(2026, 11, 19, 9, 0), categories=[categories["認知症"]], patient=patient
    )
    with time_machine.travel(tokyo(2026, 11, 20, 9, 0), tick=False):
        verified_login(client, dan)
        assert NAME in client.get(f"/consultations/{consultation.pk}/").content.decode()
        sharing.withdraw_consent(cm, patient, "本人の希望")
        reads_before = patient_reads(dan)

        page = client.get(f"/consultations/{consultation.pk}/").content.decode()
        form_page = client.get("/consultations/new/").content.decode()

    assert PLACEHOLDER in page
    assert NAME not in page
    assert KANA not in form_page
    assert patient_reads(dan) == reads_before


@time_machine.travel(NOW, tick=False)
def test_statistics_and_the_records_export_never_contain_the_name(
    client, dan, bob, patient, categories, gonohe_desk
):
    make_consultation(
        gonohe_desk, tokyo(2026, 11, 19, 9, 0), categories=[categories["認知症"]], patient=patient
    )
    make_consultation(gonohe_desk, tokyo(2026, 11, 19, 11, 0), categories=[categories["認知症"]])
    verified_login(client, dan)

    pages = [
        client.get("/consultations/statistics/"),
        client.get("/consultations/statistics.csv"),
        client.get("/consultations/records.csv"),
    ]
    client.logout()
    verified_login(client, bob)
    pages.append(client.get("/consultations/statistics/"))

    for response in pages:
        assert response.status_code == 200
        content = response.content.decode("utf-8-sig")
        assert NAME not in content
        assert KANA not in content
    assert "認知症" in pages[0].content.decode()
    assert patient_reads(dan) == 0
