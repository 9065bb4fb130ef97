"""From planning a training to reading its evaluation: the municipality plans and invites, a care
manager registers, attends and answers, the municipality reads the counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from renkei.core.models import Organization, User
from renkei.meetings.models import Event
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


def _log_out(page) -> None:
    page.context.clear_cookies()


def test_a_training_from_planning_to_its_evaluation_results(live_server, page, staff, care_manager):
    day = timezone.localdate() - timedelta(days=1)
    log_in(page, live_server, "gonohe-staff", PASSWORD)
    page.goto(live_server.url + "/meetings/")
    page.get_by_role("link", name="会議・研修を登録").click()
    page.get_by_role("combobox", name="主催・担当の市町村").select_option(label="五戸町")
    page.get_by_role("combobox", name="種別").select_option(label="多職種研修")
    page.get_by_label("名称").fill("成年後見制度の多職種研修")
    page.get_by_label("講師").fill("社会福祉士会 講師")
    page.get_by_label("開始日時").fill(f"{day:%Y-%m-%d}T18:30")
    page.get_by_label("終了日時").fill(f"{day:%Y-%m-%d}T20:00")
    page.get_by_label("会場").fill("五戸町公民館")
    page.get_by_role("group", name="対象職種").get_by_label("介護支援専門員").check()
    page.get_by_role("button", name="登録する").click()
    page.get_by_text("を登録しました").wait_for()
    page.get_by_role("group", name="招待する組織の種別").get_by_label("居宅介護支援事業所").check()
    page.get_by_role("button", name="招待する").click()
    page.get_by_text("1件の組織を新たに招待しました。").wait_for()
    event = Event.objects.get()

    _log_out(page)
    log_in(page, live_server, "gonohe-cm", PASSWORD)
    page.goto(live_server.url + "/meetings/")
    page.get_by_role("link", name="成年後見制度の多職種研修").click()
    page.get_by_role("button", name="参加登録する").click()
    page.get_by_test_id("registered").wait_for()

    _log_out(page)
    log_in(page, live_server, "gonohe-staff", PASSWORD)
    page.goto(f"{live_server.url}/meetings/{event.pk}/")
    page.get_by_role("group", name="出席者（登録者から選ぶ）").get_by_label("五戸 ケアマネ").check()
    page.get_by_role("button", name="出席を記録").click()
    page.get_by_text("1人の出席を記録しました。").wait_for()
    assert page.get_by_test_id("attendance-table").locator("tbody tr").all_inner_texts() == [
        "介護支援専門員\t0\t1\t1"
    ]

    _log_out(page)
    log_in(page, live_server, "gonohe-cm", PASSWORD)
    page.goto(live_server.url + "/meetings/")
    page.get_by_role("region", name="アンケートへの回答のお願い").get_by_role(
        "link", name="成年後見制度の多職種研修"
    ).click()
    for item, answer in (
        ("研修の内容に満足した", "5 そう思う"),
        ("内容を理解できた", "4 ややそう思う"),
        ("明日からの業務に役立つ", "5 そう思う"),
        ("他職種との連携を深める機会になった", "3 どちらともいえない"),
    ):
        page.get_by_role("group", name=item).get_by_label(answer).check()
    page.get_by_label("感想・今後取り上げてほしいテーマ").fill("事例検討をもっと聞きたい")
    page.get_by_role("button", name="回答する").click()
    page.get_by_text("アンケートに回答しました。").wait_for()

    _log_out(page)
    log_in(page, live_server, "gonohe-staff", PASSWORD)
    page.goto(f"{live_server.url}/meetings/{event.pk}/")
    page.get_by_role("link", name="アンケートの結果").click()
    assert page.get_by_test_id("response-count").inner_text() == "回答 1件（出席者 1人、回答率 100.0%）"
    rows = page.get_by_test_id("evaluation-table").locator("tbody tr").all_inner_texts()
    assert rows == [
        "研修の内容に満足した\t1\t0\t0\t0\t0\t5.00",
        "内容を理解できた\t0\t1\t0\t0\t0\t4.00",
        "明日からの業務に役立つ\t1\t0\t0\t0\t0\t5.00",
        "他職種との連携を深める機会になった\t0\t0\t1\t0\t0\t3.00",
    ]
    assert page.get_by_test_id("comments").inner_text() == "事例検討をもっと聞きたい"
