"""A NUL or other control character in text (API, form, imported cell) is refused, never a 500."""

from __future__ import annotations

import pytest
import time_machine

from renkei.consultations.models import Consultation
from tests.consultations.api_client import post_consultation
from tests.consultations.conftest import tokyo
from tests.consultations.test_import import csv_bytes, upload
from tests.core.totp import verified_login


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("summary", "退院\x00後", "制御文字（NULなど）は使えません。"),
        ("summary", "鳴る\x07ベル", "制御文字（NULなど）は使えません。"),
        ("requester_institution", "八戸\x00病院", "制御文字（NUL・タブ・改行など）は使えません。"),
        ("requester_institution", "八戸\n病院", "制御文字（NUL・タブ・改行など）は使えません。"),
    ],
)
@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_api_refuses_control_characters_in_text(client, dan, categories, field, value, message):
    response = post_consultation(client, dan, category_ids=[categories["認知症"].pk], **{field: value})
    assert response.status_code == 400
    assert response.json()["error"]["details"] == [{"field": field, "location": field, "message": message}]
    assert Consultation.objects.count() == 0


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_api_keeps_line_breaks_and_tabs_in_a_summary(client, dan, categories):
    response = post_consultation(
        client, dan, category_ids=[categories["認知症"].pk], summary="一行目\n二行目\tタブ"
    )
    assert response.status_code == 201
    assert Consultation.objects.get().summary == "一行目\n二行目\tタブ"


@time_machine.travel(tokyo(2024, 6, 3, 10, 30), tick=False)
def test_import_refuses_a_cell_with_a_nul_and_names_its_line(client, dan, gonohe_desk):
    verified_login(client, dan)
    rows = [
        "2023/04/03 10:00,電話,家族,,85歳以上,女性,五戸町,認知症,物忘れ\x00について,情報提供,,15,終結,,",
    ]
    response = upload(client, "old.csv", csv_bytes(rows))
    assert response.status_code == 400
    assert "2行目" in response.content.decode()
    assert "「相談内容（要旨）」に制御文字（NULなど）は使えません。" in response.content.decode()
    assert Consultation.objects.count() == 0
