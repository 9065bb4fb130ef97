"""かかりつけ医 is found by name, and clinics of the same name are told apart by 市町村・町字 and
category (it used to be one select of every hospital and clinic of the region)."""

from __future__ import annotations

import pytest

from renkei.sharing.models import Patient
from tests.core.totp import verified_login
from tests.directory.search_fixtures import make_facility
from tests.sharing.test_registration import _form


@pytest.fixture
def clinics(db):
    return {
        "korekawa": make_facility(
            "たかはしクリニック",
            "タカハシクリニック",
            "clinic",
            "022039",
            address="青森県八戸市大字是川２７－２７",
        ),
        "ruike": make_facility(
            "たかはしクリニック",
            "タカハシクリニック",
            "clinic",
            "022039",
            address="青森県八戸市南類家三丁目３３－１３",
        ),
        "nanbu": make_facility(
            "たかはしクリニック",
            "タカハシクリニック",
            "clinic",
            "024457",
            address="青森県南部町大字小向４８－２７",
        ),
        "hospital": make_facility("八戸みなと病院", "ハチノヘミナトビョウイン", "hospital", "022039"),
        "dentist": make_facility("たかはし歯科", "タカハシシカ", "dental_clinic", "022039"),
    }


def test_the_form_lists_no_facility_until_one_is_searched_for(client, cm, clinics):
    verified_login(client, cm)
    page = client.get("/patients/new/").content.decode()
    assert "かかりつけ医を名称で検索" in page
    assert "たかはしクリニック" not in page
    assert "八戸みなと病院" not in page


def test_search_without_the_script_shows_the_matches_with_town_and_category_and_saves_nothing(
    client, cm, hachinohe, clinics
):
    verified_login(client, cm)
    # Typed in katakana; the facilities' names are in hiragana.
    response = client.post("/patients/new/", _form(hachinohe, physician_query="タカハシ", find_physician="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert Patient.objects.count() == 0
    assert "たかはしクリニック（八戸市大字是川・診療所）" in page
    assert "たかはしクリニック（八戸市南類家三丁目・診療所）" in page
    assert "たかはしクリニック（南部町大字小向・診療所）" in page
    assert "たかはし歯科" not in page  # not a かかりつけ医's category
    assert "八戸みなと病院" not in page
    assert "に当てはまる病院・診療所が3件あります" in page
    assert 'value="架空 太郎"' in page  # what was typed stays
    assert f'type="radio" name="physician_facility" value="{clinics["ruike"].pk}"' in page

    client.post("/patients/new/", _form(hachinohe, physician_facility=clinics["ruike"].pk))
    assert Patient.objects.get().physician_facility == clinics["ruike"]


def test_the_script_gets_the_matches_as_json(client, cm, clinics):
    verified_login(client, cm)
    response = client.get("/patients/physicians.json", {"q": "みなとびょういん"})
    assert response.json() == {
        "results": [
            {
                "id": clinics["hospital"].pk,
                "name": "八戸みなと病院",
                "municipality": "八戸市",
                "town": "",
                "category": "病院",
                "label": "八戸みなと病院（八戸市・病院）",
            }
        ]
    }
    assert client.get("/patients/physicians.json", {"q": ""}).json() == {"results": []}


def test_the_json_search_is_for_care_staff_only(client, alice, clinics):
    assert client.get("/patients/physicians.json", {"q": "たかはし"}).status_code == 302  # to the login
    verified_login(client, alice)  # region administrator: on no care team
    assert client.get("/patients/physicians.json", {"q": "たかはし"}).status_code == 403


def test_the_current_choice_stays_shown_on_the_edit_form(client, cm, hachinohe, clinics):
    verified_login(client, cm)
    client.post("/patients/new/", _form(hachinohe, physician_facility=clinics["korekawa"].pk))
    patient = Patient.objects.get()
    page = client.get(f"/patients/{patient.pk}/edit/").content.decode()
    assert "たかはしクリニック（八戸市大字是川・診療所）" in page
    assert "たかはしクリニック（八戸市南類家三丁目・診療所）" not in page
    assert f'value="{clinics["korekawa"].pk}" id="id_physician_facility_1" checked' in page


def test_a_facility_outside_the_region_or_category_is_refused(client, cm, hachinohe, clinics):
    verified_login(client, cm)
    response = client.post("/patients/new/", _form(hachinohe, physician_facility=clinics["dentist"].pk))
    assert response.status_code == 400
    assert Patient.objects.count() == 0
