"""An imported row is checked by the same rules as the form: a continuing case needs its next
date, and every case needs at least one content category."""

from __future__ import annotations

import time_machine

from renkei.consultations.models import Consultation
from tests.consultations.conftest import tokyo
from tests.consultations.test_import import csv_bytes, upload
from tests.core.totp import verified_login


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_import_refuses_a_continuing_case_without_a_next_date(client, dan, gonohe_desk):
    verified_login(client, dan)
    rows = ["2023/04/03 10:00,電話,家族,,85歳以上,女性,五戸町,認知症,物忘れ,情報提供,,15,継続,,"]
    response = upload(client, "old.csv", csv_bytes(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "2行目" in page
    assert "継続の場合は次回対応予定日を入力してください。" in page
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
