"""An imported row is checked by the same rules as the form and the API — one cleaning of a case
(``services.clean_consultation``): a continuing case needs its next date, and every case needs at
least one content category. The same input is refused with the same words by all three."""

from __future__ import annotations

import time_machine

from renkei.consultations.models import Consultation
from tests.consultations.api_client import post_consultation
from tests.consultations.conftest import tokyo
from tests.consultations.test_import import csv_bytes, upload
from tests.consultations.test_recording import form_data
from tests.core.totp import verified_login

NO_NEXT_DATE = "継続の場合は次回対応予定日を入力してください。"
FUTURE = "未来の日時は入力できません。"


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_import_refuses_a_continuing_case_without_a_next_date(client, dan, gonohe_desk):
    verified_login(client, dan)
    rows = ["2023/04/03 10:00,電話,家族,,85歳以上,女性,五戸町,認知症,物忘れ,情報提供,,15,継続,,"]
    response = upload(client, "old.csv", csv_bytes(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "2行目" in page
    assert NO_NEXT_DATE in page
    assert Consultation.objects.count() == 0


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_import_refuses_a_case_without_a_content_category(client, dan, gonohe_desk):
    verified_login(client, dan)
    rows = [
        "2023/04/03 10:00,電話,家族,,85歳以上,女性,五戸町,認知症,物忘れ,情報提供,,15,終結,,",
        "2023/04/04 10:00,電話,家族,,85歳以上,女性,五戸町,,物忘れ,情報提供,,15,終結,,",
        "2023/04/05 10:00,電話,家族,,85歳以上,女性,五戸町,、,物忘れ,情報提供,,15,終結,,",
    ]
    response = upload(client, "old.csv", csv_bytes(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "3行目" in page
    assert "4行目" in page
    assert "「相談内容区分」が空です（1つ以上の区分を入力してください）。" in page
    assert Consultation.objects.count() == 0


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_form_api_and_import_refuse_the_same_case_with_the_same_words(client, dan, categories, gonohe_desk):
    verified_login(client, dan)
    form = client.post(
        "/consultations/new/",
        form_data(categories, received_at="2024-06-04T10:00", next_action_on="", status="continuing"),
    ).context["form"]
    assert form.errors["next_action_on"] == [NO_NEXT_DATE]
    assert form.errors["received_at"] == [FUTURE]

    api = post_consultation(
        client,
        dan,
        received_at="2024-06-04T10:00:00+09:00",
        category_ids=[categories["認知症"].pk],
        status="continuing",
    ).json()["error"]
    assert {(d["field"], d["message"]) for d in api["details"]} == {
        ("next_action_on", NO_NEXT_DATE),
        ("received_at", FUTURE),
    }

    rows = ["2024/06/04 10:00,電話,家族,,,,,認知症,,情報提供,,,継続,,"]
    page = upload(client, "old.csv", csv_bytes(rows)).content.decode()
    assert NO_NEXT_DATE in page
    assert f"受付日時「2024/06/04 10:00」: {FUTURE}" in page
    assert Consultation.objects.count() == 0
