"""At 360 px, from building a survey to reading its results: the municipality builds and opens a
survey, a care manager answers it on a phone, the municipality reads the counts and the free text."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from renkei.core.models import Organization, User
from renkei.meetings.models import Survey
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("region_data")


@pytest.fixture
def staff(gonohe) -> User:
    office = Organization.objects.create(
        name="五戸町役場 高齢福祉課（テスト）", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=gonohe
    )
    return make_user("gonohe-staff", office, User.Role.MUNICIPALITY_STAFF, full_name="五戸 職員")


@pytest.fixture
def care_manager(gonohe) -> User:
    office = Organization.objects.create(
        name="五戸ケアプランセンター（テスト）",
        kind=Organization.Kind.CARE_MANAGEMENT_OFFICE,
        municipality=gonohe,
    )
    return make_user(
        "gonohe-cm",
        office,
        User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
        full_name="五戸 ケアマネ",
    )


def _add(page, kind: str, text: str, choices: str = "") -> None:
    page.get_by_role("combobox", name="形式").select_option(label=kind)
    page.locator("#id_text").fill(text)
    if choices:
        page.get_by_label("選択肢（1行に1つ。単一選択・複数選択のとき）").fill(choices)
    page.get_by_role("button", name="追加する").click()
    page.get_by_text("質問を追加しました。").wait_for()


def test_a_survey_from_building_it_to_its_results_at_360_px(live_server, page, staff, care_manager):
    page.set_viewport_size({"width": 360, "height": 800})
    today = timezone.localdate()
    log_in(page, live_server, "gonohe-staff", PASSWORD)
    page.goto(live_server.url + "/meetings/surveys/")
    page.get_by_role("link", name="アンケートを作る").click()
    page.get_by_role("combobox", name="主催・担当の市町村").select_option(label="五戸町")
    page.get_by_label("アンケート名").fill("退院調整ルールのアンケート")
    page.get_by_label("回答開始日").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("締切日").fill(f"{today + timedelta(days=14):%Y-%m-%d}")
    page.get_by_role("group", name="対象の組織種別").get_by_label("居宅介護支援事業所").check()
    page.get_by_role("button", name="作成する").click()
    page.get_by_text("アンケートを作成しました。").wait_for()
    _add(page, "単一選択", "ルールを知っていますか", "はい\nいいえ")
    _add(page, "5段階", "病院と情報共有できている")
    _add(page, "自由記述", "困った場面")
    page.get_by_role("button", name="回答の受付を始めて依頼する").click()
    page.get_by_text("回答の受付を始め、1人に依頼しました。").wait_for()
    survey = Survey.objects.get()

    page.context.clear_cookies()
    log_in(page, live_server, "gonohe-cm", PASSWORD)
    page.goto(live_server.url + "/meetings/surveys/")
    page.get_by_role("link", name="退院調整ルールのアンケート").click()
    page.get_by_role("group", name="問1 ルールを知っていますか").get_by_label("はい").check()
    page.get_by_role("group", name="問2 病院と情報共有できている").get_by_label("4").check()
    page.get_by_label("問3 困った場面").fill("退院の連絡が前日だった")
    page.get_by_role("button", name="回答する").click()
    page.get_by_text("回答しました。").wait_for()

    page.context.clear_cookies()
    log_in(page, live_server, "gonohe-staff", PASSWORD)
    page.goto(f"{live_server.url}/meetings/surveys/{survey.pk}/")
    page.get_by_role("link", name="結果を見る").click()
    assert page.get_by_test_id("survey-response-count").inner_text() == "回答 1人／依頼 1人"
    results = page.get_by_test_id("question-result")
    assert "はい\t1\t100.0%" in results.nth(0).inner_text()
    assert page.get_by_test_id("scale-mean").inner_text() == "4.00"
    assert page.get_by_test_id("texts").inner_text() == "退院の連絡が前日だった"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
