from __future__ import annotations

from datetime import date

import time_machine

from renkei.consultations.models import Consultation
from renkei.core.models import AccessLog
from renkei.core.text import normalize
from renkei.directory.models import Facility
from tests.consultations.conftest import tokyo
from tests.core.totp import verified_login


def form_data(cats, **overrides):
    data = {
        "received_at": "2024-06-03T10:15",
        "channel": "phone",
        "requester_type": "medical_institution",
        "requester_institution": "八戸みなと病院",
        "categories": [cats["入退院・退院後の生活"].pk, cats["介護保険・サービス利用"].pk],
        "subject_age_band": "75_84",
        "subject_sex": "female",
        "subject_municipality": "",
        "summary": "退院後の訪問診療先について",
        "response": "referral",
        "referred_institution": "訪問看護ステーションかもめ",
        "minutes_spent": "20",
        "status": "continuing",
        "next_action_on": "2024-06-10",
        "staff": "",
    }
    data.update(overrides)
    return data


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_desk_staff_records_a_consultation_from_the_form(client, dan, categories, gonohe_desk):
    verified_login(client, dan)
    page = client.get("/consultations/new/")
    assert page.status_code == 200
    assert page.context["form"].initial["staff"] == dan.pk

    response = client.post("/consultations/new/", form_data(categories, staff=dan.pk))
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.desk == gonohe_desk
    assert consultation.received_on == date(2024, 6, 3)
    assert consultation.received_month == 202406
    assert consultation.requester_group_label == "支援機関"
    assert consultation.requester_institution == "八戸みなと病院"
    assert consultation.requester_institution_key == "八戸みなと病院"
    assert sorted(c.name for c in consultation.categories.all()) == [
        "介護保険・サービス利用",
        "入退院・退院後の生活",
    ]
    assert (consultation.status, consultation.next_action_on, consultation.staff) == (
        "continuing",
        date(2024, 6, 10),
        dan,
    )
    log = AccessLog.objects.get(subject_type="consultation")
    assert (log.action, log.subject_id, log.user) == ("create", str(consultation.pk), dan)


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_naming_a_directory_facility_links_it_instead_of_keeping_the_text(client, dan, categories, hachinohe):
    hospital = Facility.objects.create(
        name="八戸みなと病院",
        category="hospital",
        municipality=hachinohe,
        search_text=normalize("八戸みなと病院 はちのへみなとびょういん"),
    )
    verified_login(client, dan)
    client.post("/consultations/new/", form_data(categories, requester_institution="八戸みなと 病院"))
    consultation = Consultation.objects.get()
    assert (consultation.requester_facility, consultation.requester_institution) == (hospital, "")

    Consultation.objects.all().delete()
    client.post(
        "/consultations/new/",
        form_data(categories, requester_institution="八戸みなと病院", requester_facility=hospital.pk),
    )
    assert Consultation.objects.get().requester_facility == hospital


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_missing_and_wrong_fields_are_explained_in_japanese_and_nothing_is_saved(client, dan, categories):
    verified_login(client, dan)
    response = client.post(
        "/consultations/new/",
        form_data(categories, channel="", categories=[], next_action_on="", received_at="2024-07-01T09:00"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["channel"] == ["このフィールドは必須です。"]
    assert "categories" in errors
    assert errors["next_action_on"] == ["継続の場合は次回対応予定日を入力してください。"]
    assert errors["received_at"] == ["未来の日時は入力できません。"]
    assert Consultation.objects.count() == 0


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_a_follow_up_attaches_to_the_case_and_closes_it(client, dan, categories):
    verified_login(client, dan)
    client.post("/consultations/new/", form_data(categories))
    consultation = Consultation.objects.get()
    response = client.post(
        f"/consultations/{consultation.pk}/follow-ups/",
        {
            "occurred_at": "2024-06-03T10:25",
            "channel": "home_visit",
            "response": "accompaniment",
            "summary": "同行して受診",
            "minutes_spent": "90",
            "status": "closed",
            "next_action_on": "",
        },
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.status, consultation.next_action_on) == ("closed", None)
    entry = consultation.follow_ups.get()
    assert (entry.response, entry.minutes_spent, entry.staff) == ("accompaniment", 90, dan)
    page = client.get(f"/consultations/{consultation.pk}/")
    assert "同行して受診" in page.content.decode()


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_a_continuing_follow_up_needs_its_next_date(client, dan, categories):
    verified_login(client, dan)
    client.post("/consultations/new/", form_data(categories))
    consultation = Consultation.objects.get()
    response = client.post(
        f"/consultations/{consultation.pk}/follow-ups/",
        {
            "occurred_at": "2024-06-03T10:25",
            "channel": "phone",
            "response": "information",
            "status": "continuing",
        },
    )
    assert response.status_code == 400
    assert "継続の場合は次回対応予定日を入力してください。" in response.content.decode()
    assert consultation.follow_ups.count() == 0


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_desk_staff_corrects_a_mistyped_record_and_the_count_moves_with_it(
    client, dan, categories, gonohe_desk
):
    verified_login(client, dan)
    client.post("/consultations/new/", form_data(categories))
    consultation = Consultation.objects.get()
    page = client.get(f"/consultations/{consultation.pk}/edit/")
    assert page.status_code == 200
    assert page.context["form"].initial["requester_institution"] == "八戸みなと病院"

    response = client.post(
        f"/consultations/{consultation.pk}/edit/",
        form_data(
            categories, requester_type="family", requester_institution="", status="closed", next_action_on=""
        ),
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.requester_type, consultation.requester_institution, consultation.status) == (
        "family",
        "",
        "closed",
    )
    assert consultation.requester_group_label == "一般住民"
    assert list(
        AccessLog.objects.filter(subject_id=str(consultation.pk)).values_list("action", flat=True)
    ) == [
        "update",
        "view",
        "view",
        "create",
    ]


def test_staff_of_another_desk_cannot_correct_a_record(client, erin, gonohe_desk):
    from tests.consultations.conftest import make_consultation

    consultation = make_consultation(gonohe_desk, tokyo(2024, 5, 1, 9, 0))
    verified_login(client, erin)
    assert client.get(f"/consultations/{consultation.pk}/edit/").status_code == 403
    assert client.post(f"/consultations/{consultation.pk}/edit/", {}).status_code == 403


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_a_follow_up_cannot_predate_the_case_or_lie_in_the_future(client, dan, categories):
    verified_login(client, dan)
    client.post("/consultations/new/", form_data(categories))
    consultation = Consultation.objects.get()
    entry = {"channel": "phone", "response": "information", "status": "closed"}
    early = client.post(
        f"/consultations/{consultation.pk}/follow-ups/", {**entry, "occurred_at": "2024-06-01T09:00"}
    )
    assert "相談の受付日時より前の日時は入力できません。" in early.content.decode()
    late = client.post(
        f"/consultations/{consultation.pk}/follow-ups/", {**entry, "occurred_at": "2024-06-04T09:00"}
    )
    assert "未来の日時は入力できません。" in late.content.decode()
    assert consultation.follow_ups.count() == 0
