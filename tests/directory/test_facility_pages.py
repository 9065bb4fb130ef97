from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from renkei.directory.models import Facility
from renkei.directory.services import save_facility


def test_anyone_can_search_and_sees_results_with_their_freshness(client, directory):
    response = client.get(reverse("directory:search"), {"q": "訪問看護 24時間", "municipality": "022039"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="1"' in page
    assert "みなと訪問看護ステーション" in page
    assert "最終確認日: <time" in page and "2026年10月1日" in page


def test_results_fragment_is_only_the_list(client, directory):
    response = client.get(reverse("directory:search"), {"q": "ステーション", "fragment": "results"})
    page = response.content.decode()
    assert "<html" not in page
    assert 'data-count="3"' in page


def test_bad_search_parameters_give_a_japanese_message_not_an_error_page(client, directory):
    response = client.get(reverse("directory:search"), {"bbox": "x"})
    assert response.status_code == 400
    assert "表示範囲（bbox）" in response.content.decode()


def test_public_facility_page_hides_professional_fields(client, directory):
    facility = directory["minato_nurse"]
    page = client.get(reverse("directory:detail", args=[facility.pk])).content.decode()
    assert "みなと訪問看護ステーション" in page
    assert "最終確認日" in page and "2026年10月1日" in page
    assert "○ 対応可" in page  # 24時間対応
    assert "0178-00-9001" not in page and "連携担当 山田" not in page


def test_professional_of_the_region_sees_professional_fields(client, directory, carol):
    client.force_login(carol)
    page = client.get(reverse("directory:detail", args=[directory["minato_nurse"].pk])).content.decode()
    assert "0178-00-9001" in page and "連携担当 山田" in page
    assert "編集" not in page


def test_closed_facility_keeps_its_page_marked_as_closed(client, directory):
    page = client.get(reverse("directory:detail", args=[directory["closed_day"].pk])).content.decode()
    assert "廃止" in page


def test_unknown_facility_is_a_japanese_404(client, db):
    response = client.get(reverse("directory:detail", args=[999999]))
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_municipality_staff_edits_a_facility_of_their_municipality(client, directory, bob):
    facility = directory["gonohe_nurse"]
    client.force_login(bob)
    form = client.get(reverse("directory:edit", args=[facility.pk]))
    assert form.status_code == 200
    data = {
        "name": "五戸ナースステーション",
        "name_kana": "ごのへなーすすてーしょん",
        "category": "visiting_nurse_station",
        "municipality": str(facility.municipality.pk),
        "status": "active",
        "address": "青森県三戸郡五戸町字古舘1",
        "latitude": "40.531",
        "longitude": "141.309",
        "services": ["130"],
        "round_the_clock": "true",
        "end_of_life_care": "false",
        "house_call": "",
        "acceptance_status": "not_accepting",
        "acceptance_stated_at": "2026-11-20",
        "liaison_contact": "所長 佐藤",
    }
    response = client.post(reverse("directory:edit", args=[facility.pk]), data)
    assert response.status_code == 302
    facility.refresh_from_db()
    assert (facility.round_the_clock, facility.end_of_life_care, facility.house_call) == (True, False, None)
    assert facility.acceptance_status == "not_accepting"
    assert facility.acceptance_stated_at == date(2026, 11, 20)
    assert facility.verified_by == bob and facility.verified_at is not None
    assert "看取り" not in facility.search_text


def test_municipality_staff_cannot_edit_another_municipality(client, directory, bob):
    client.force_login(bob)
    assert client.get(reverse("directory:edit", args=[directory["minato_nurse"].pk])).status_code == 403


def test_the_edit_service_itself_refuses_staff_of_another_municipality(directory, bob):
    facility = directory["minato_nurse"]
    facility.name = "書き換えられた名前"

    with pytest.raises(PermissionDenied):
        save_facility(facility, service_codes=None, user=bob)

    facility.refresh_from_db()
    assert facility.name == "みなと訪問看護ステーション"


def test_professional_cannot_edit_or_create(client, directory, carol):
    client.force_login(carol)
    assert client.get(reverse("directory:edit", args=[directory["minato_nurse"].pk])).status_code == 403
    assert client.get(reverse("directory:create")).status_code == 403


def test_region_admin_registers_a_gathering_place(client, alice, db):
    from renkei.core.models import Municipality

    client.force_login(alice)
    response = client.post(
        reverse("directory:create"),
        {
            "name": "白銀 ふれあいサロン",
            "name_kana": "しろがねふれあいさろん",
            "category": "gathering_place",
            "municipality": str(Municipality.objects.get(code="022039").pk),
            "status": "active",
            "acceptance_status": "unknown",
            "latitude": "40.53",
            "longitude": "141.55",
        },
    )
    assert response.status_code == 302
    salon = Facility.objects.get(name="白銀 ふれあいサロン")
    assert salon.source == "manual"
    assert "ふれあいさろん" in salon.search_text


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [("40.5", "", "両方入力"), ("10.0", "141.5", "日本国内")],
)
def test_coordinates_must_be_complete_and_in_japan(client, alice, db, latitude, longitude, message):
    from renkei.core.models import Municipality

    client.force_login(alice)
    response = client.post(
        reverse("directory:create"),
        {
            "name": "テスト",
            "category": "other",
            "municipality": str(Municipality.objects.get(code="022039").pk),
            "status": "active",
            "acceptance_status": "unknown",
            "latitude": latitude,
            "longitude": longitude,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Facility.objects.filter(name="テスト").exists()
