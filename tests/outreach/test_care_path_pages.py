"""The 認知症ケアパス pages: staff edit their municipality's grid without JavaScript (search keeps what
was typed), others are turned away, and residents see a published care path only."""

from __future__ import annotations

import pytest

from renkei.core.models import Organization, User
from renkei.outreach.models import CarePathCell, DementiaCarePath
from renkei.outreach.services import care_path
from tests.conftest import make_user

GRID = "/staff/outreach/care-path/"
CELL = "/staff/outreach/care-path/022039/awareness/consultation/"


@pytest.fixture
def hana(hachinohe) -> User:
    """Hana is 八戸市 staff."""
    office = Organization.objects.create(
        name="八戸市役所 高齢福祉課", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=hachinohe
    )
    return make_user("hana", office, User.Role.MUNICIPALITY_STAFF, full_name="八戸 ハナ")


def logged_in(client, user):
    client.force_login(user)
    return client


def filled_path(hana, hachinohe, directory, *, published: bool) -> DementiaCarePath:
    path = care_path.care_path_for_editing(hana, hachinohe)
    care_path.save_settings(hana, path, title="八戸市 認知症ケアパス", introduction="早めの相談が安心です。")
    care_path.save_cell(
        hana, path, "awareness", "consultation", text="もの忘れが気になったら相談を",
        facility_ids=[directory["minato_nurse"].pk],
    )  # fmt: skip
    care_path.save_cell(
        hana, path, "end_of_life", "medical", text="家での看取りを支えます",
        facility_ids=[directory["nakai_clinic"].pk, directory["gonohe_nurse"].pk],
    )  # fmt: skip
    care_path.set_published(hana, path, published)
    return path


# --- who may edit ---


def test_anonymous_visitors_are_sent_to_log_in(client, hachinohe):
    for url in (GRID, CELL, "/staff/outreach/care-path/022039/pdf/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.post("/staff/outreach/care-path/022039/publish/", {"published": "1"}).status_code == 302
    assert not DementiaCarePath.objects.exists()


def test_a_professional_is_refused(client, carol):
    logged_in(client, carol)
    assert client.get(GRID).status_code == 403
    assert client.get(CELL).status_code == 403


def test_another_municipalitys_staff_cannot_open_or_change_hachinohes_care_path(
    client, bob, hana, hachinohe, directory
):
    path = filled_path(hana, hachinohe, directory, published=False)
    logged_in(client, bob)
    assert client.get(CELL).status_code == 403
    assert client.post(CELL, {"text": "五戸から", "action": "save"}).status_code == 403
    assert client.post("/staff/outreach/care-path/022039/publish/", {"published": "1"}).status_code == 403
    assert client.get("/staff/outreach/care-path/022039/pdf/").status_code == 403
    # His grid is 五戸町's, whatever the address asks for.
    page = client.get(GRID + "?municipality=022039").content.decode()
    assert (
        "認知症ケアパス（五戸町）" in page and "八戸市" not in page.split("<main", 1)[1].split("</main>")[0]
    )
    path.refresh_from_db()
    assert not path.published
    assert path.cells.get(stage="awareness", kind="consultation").text == "もの忘れが気になったら相談を"


def test_unknown_municipalities_stages_and_kinds_are_not_found(client, hana):
    logged_in(client, hana)
    assert client.get("/staff/outreach/care-path/999999/awareness/consultation/").status_code == 404
    assert client.get("/staff/outreach/care-path/022039/someday/consultation/").status_code == 404
    assert client.get("/staff/outreach/care-path/022039/early/money/").status_code == 404


# --- editing ---


def test_staff_search_keeps_the_typed_text_then_save_adds_the_entry(client, hana, directory):
    logged_in(client, hana)
    grid = client.get(GRID).content.decode()
    assert "認知症ケアパス（八戸市）" in grid and "下書き" in grid
    searched = client.post(CELL, {"text": "まず地域包括支援センターへ", "q": "訪問看護", "action": "search"})
    page = searched.content.decode()
    assert searched.status_code == 200
    assert "まず地域包括支援センターへ</textarea>" in page
    assert 'value="訪問看護"' in page
    assert "みなと訪問看護ステーションを追加する" in page and "櫛引訪問看護ステーションを追加する" in page
    assert "まだ保存されていません" in page
    assert not CarePathCell.objects.exists()
    saved = client.post(
        CELL,
        {
            "text": "まず地域包括支援センターへ",
            "q": "訪問看護",
            "add": [directory["minato_nurse"].pk],
            "action": "save",
        },
    )
    assert saved.status_code == 302
    assert saved["Location"].endswith("?municipality=022039&saved=1#cell-awareness-consultation")
    cell = CarePathCell.objects.get(stage="awareness", kind="consultation")
    assert cell.text == "まず地域包括支援センターへ"
    assert [e.facility.name for e in cell.entries.all()] == ["みなと訪問看護ステーション"]
    assert "みなと訪問看護ステーション" in client.get(GRID).content.decode()


def test_entries_are_reordered_and_removed_on_the_page(client, hana, hachinohe, directory):
    path = filled_path(hana, hachinohe, directory, published=False)
    url = "/staff/outreach/care-path/022039/end_of_life/medical/"
    nakai, gonohe, minato = directory["nakai_clinic"], directory["gonohe_nurse"], directory["minato_nurse"]
    logged_in(client, hana)
    response = client.post(
        url,
        {
            "text": "家での看取りを支えます",
            "entry": [nakai.pk, gonohe.pk],
            f"order-{nakai.pk}": "2",
            f"order-{gonohe.pk}": "1",
            "add": [minato.pk],
            "action": "save",
        },
    )
    assert response.status_code == 302
    cell = path.cells.get(stage="end_of_life", kind="medical")
    assert [e.facility.name for e in cell.entries.all()] == [
        "五戸ナースステーション", "なかい内科クリニック", "みなと訪問看護ステーション",
    ]  # fmt: skip
    client.post(url, {"text": "", "entry": [gonohe.pk, nakai.pk], "remove": [gonohe.pk], "action": "save"})
    assert [e.facility.name for e in cell.entries.all()] == ["なかい内科クリニック"]


def test_a_bad_entry_is_refused_with_its_reason_and_nothing_is_written(client, hana, directory):
    logged_in(client, hana)
    response = client.post(
        CELL,
        {
            "text": "書いた説明",
            "add": [directory["minato_nurse"].pk, directory["closed_day"].pk, 987_654],
            "action": "save",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "「旧みなとデイサービス」は廃止されているため載せられません。" in page
    assert "番号 987654 の資源は見つかりません。" in page
    assert "書いた説明</textarea>" in page
    assert not CarePathCell.objects.exists()
    garbled = client.post(CELL, {"text": "x", "entry": ["abc"], "action": "save"})
    assert garbled.status_code == 400 and "資源の指定が正しくありません" in garbled.content.decode()


def test_a_cell_longer_than_400_characters_is_refused(client, hana):
    logged_in(client, hana)
    response = client.post(CELL, {"text": "あ" * 401, "action": "save"})
    assert response.status_code == 400
    assert "説明は400字以内で入力してください（いま401字）。" in response.content.decode()
    assert not CarePathCell.objects.exists()


def test_title_and_introduction_are_saved(client, hana, hachinohe):
    logged_in(client, hana)
    client.get(GRID)
    response = client.post(
        "/staff/outreach/care-path/022039/settings/",
        {"title": "はちのへ認知症ケアパス", "introduction": "ようこそ"},
    )
    assert response.status_code == 302
    path = DementiaCarePath.objects.get(municipality=hachinohe)
    assert (path.title, path.introduction, path.updated_by) == ("はちのへ認知症ケアパス", "ようこそ", hana)
    refused = client.post("/staff/outreach/care-path/022039/settings/", {"title": "", "introduction": ""})
    assert refused.status_code == 400
    path.refresh_from_db()
    assert path.title == "はちのへ認知症ケアパス"


# --- publishing and what residents see ---


def test_residents_see_a_care_path_only_once_it_is_published(client, hana, hachinohe, directory):
    filled_path(hana, hachinohe, directory, published=False)
    assert client.get("/portal/022039/care-path/").status_code == 404
    assert "/portal/022039/care-path/" not in client.get("/portal/022039/").content.decode()

    logged_in(client, hana)
    assert client.post("/staff/outreach/care-path/022039/publish/", {"published": "1"}).status_code == 302
    assert "公開中" in client.get(GRID).content.decode()
    client.logout()

    portal = client.get("/portal/022039/").content.decode()
    assert 'href="/portal/022039/care-path/"' in portal
    response = client.get("/portal/022039/care-path/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "早めの相談が安心です。" in page
    stages = [page.index(f">{label}</h2>") for label in ("気づき", "初期", "中期", "後期", "終末期")]
    assert stages == sorted(stages)  # one section per stage, in order
    assert "もの忘れが気になったら相談を" in page and "家での看取りを支えます" in page
    assert "みなと訪問看護ステーション" in page and 'href="tel:0178-00-0001"' in page
    assert "2026年10月1日" in page  # its 最終確認日
    assert "五戸ナースステーション" in page and "2025年1月10日" in page
    assert "0178-00-9001" not in page  # professional-only direct line
    large = client.get("/portal/022039/care-path/?size=large").content.decode()
    assert "portal--large" in large

    logged_in(client, hana)
    client.post("/staff/outreach/care-path/022039/publish/", {"published": "0"})
    client.logout()
    assert client.get("/portal/022039/care-path/").status_code == 404


def test_a_published_care_path_hides_entries_that_closed_since(client, hana, hachinohe, directory):
    filled_path(hana, hachinohe, directory, published=True)
    clinic = directory["nakai_clinic"]
    clinic.status = "closed"
    clinic.save(update_fields=["status"])
    assert "なかい内科クリニック" not in client.get("/portal/022039/care-path/").content.decode()
    logged_in(client, hana)
    grid = client.get(GRID).content.decode()
    assert "なかい内科クリニック" in grid and "住民には表示されません" in grid


def test_other_municipalities_have_no_public_care_path(client, hana, hachinohe, directory):
    filled_path(hana, hachinohe, directory, published=True)
    assert client.get("/portal/024422/care-path/").status_code == 404
    assert client.get("/portal/999999/care-path/").status_code == 404
