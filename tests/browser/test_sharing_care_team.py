from __future__ import annotations

import re
from datetime import date

import pytest

from renkei.core.models import Municipality, Organization, User
from renkei.sharing import services
from renkei.sharing.models import Patient
from tests.browser.conftest import assert_accessible, assert_fits_width
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device

pytestmark = pytest.mark.usefixtures("region_data")


def _professional(username, org_name, kind, profession, full_name):
    organization = Organization.objects.create(
        name=org_name, kind=kind, municipality=Municipality.objects.get(code="022039")
    )
    return make_user(
        username, organization, User.Role.PROFESSIONAL, profession=profession, full_name=full_name
    )


def _older_patient_with_news(cm: User, colleague: User) -> None:
    """A patient the care manager already follows, with a newer (but not urgent) post."""
    data = {
        "full_name": "既存 利用者",
        "full_name_kana": "きぞん りようしゃ",
        "birth_date": date(1940, 5, 5),
        "sex": Patient.Sex.MALE,
        "municipality": Municipality.objects.get(code="022039"),
    }
    patient = services.register_patient(cm, data)
    services.invite(cm, patient, colleague, "care_manager")
    services.create_post(colleague, patient, category="contact", body="定期連絡です。")


def test_care_manager_builds_a_team_and_sees_the_nurses_urgent_post_first(live_server, page, browser):
    cm = _professional(
        "cm", "テスト居宅介護支援事業所", Organization.Kind.CARE_MANAGEMENT_OFFICE,
        User.Profession.CARE_MANAGER, "三戸 ケアマネ",
    )  # fmt: skip
    colleague = make_user(
        "cm2",
        cm.organization,
        User.Role.PROFESSIONAL,
        profession=User.Profession.CARE_MANAGER,
        full_name="同僚 次郎",
    )
    nurse = _professional(
        "nurse", "テスト訪問看護ステーション", Organization.Kind.VISITING_NURSE_STATION,
        User.Profession.NURSE, "八戸 キャロル",
    )  # fmt: skip
    cm_device, nurse_device = confirmed_totp_device(cm), confirmed_totp_device(nurse)
    _older_patient_with_news(cm, colleague)

    # The care manager registers the patient.
    log_in(page, live_server, "cm", PASSWORD, device=cm_device)
    page.goto(live_server.url + "/patients/")
    page.get_by_role("link", name="利用者（ケアチーム）").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="利用者を登録").click()
    page.get_by_label("氏名 必須", exact=True).fill("架空 花子")
    page.get_by_label("氏名（ふりがな）").fill("かくう はなこ")
    page.get_by_label("生年月日 必須", exact=True).fill("1938-04-02")
    page.get_by_label("性別").select_option(label="女性")
    page.get_by_label("要介護度").select_option(label="要介護2")
    assert_accessible(page)
    page.get_by_role("button", name="登録する").click()
    page.get_by_role("heading", name="架空 花子").wait_for()
    assert_accessible(page)

    # Records the consent.
    page.get_by_role("link", name="同意", exact=True).click()
    page.get_by_label("同意した人（氏名）").fill("架空 一郎")
    page.get_by_label("本人との関係").fill("長男")
    page.get_by_label("同意日").fill("2026-11-20")
    page.get_by_label("方法").select_option(label="書面")
    page.get_by_label("同意の範囲").fill("ケアチームの全職種")
    assert_accessible(page)
    page.get_by_role("button", name="同意を記録する").click()
    page.get_by_text("同意を記録しました").wait_for()

    # Invites the visiting nurse, found by her organisation.
    page.get_by_role("link", name="ケアチーム（1人）").click()
    page.get_by_label("氏名・ふりがな・所属・職種で検索").fill("訪問看護")
    page.get_by_role("button", name="検索").click()
    assert "?" not in page.url  # the search is posted: no names in the address
    page.get_by_label("チームでの役割").select_option(label="訪問看護")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^招待する.*八戸 キャロル")).click()
    page.get_by_text("八戸 キャロルさんをケアチームに招待しました。").wait_for()
    assert (
        page.get_by_test_id("team-table").get_by_role("cell", name="八戸 キャロル", exact=True).is_visible()
    )
    assert_accessible(page)

    # The nurse, on her phone, logs in with her authenticator, sees the patient and posts an urgent message.
    nurse_context = browser.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )
    nurse_page = nurse_context.new_page()
    nurse_page.set_default_timeout(15_000)
    log_in(nurse_page, live_server, "nurse", PASSWORD, device=nurse_device)
    nurse_page.goto(live_server.url + "/patients/")
    assert_accessible(nurse_page)
    nurse_page.get_by_role("link", name="架空 花子").click()
    nurse_page.get_by_label("分類").select_option(label="状態変化")
    nurse_page.get_by_label("至急").check()
    nurse_page.get_by_label("本文").fill("38.5℃の発熱があります。主治医に連絡済みです。")
    nurse_page.get_by_role("button", name="投稿する").click()
    nurse_page.get_by_text("投稿しました。").wait_for()
    post = nurse_page.get_by_test_id("post").filter(has_text="38.5℃の発熱があります。")
    assert post.get_by_test_id("read-receipt").inner_text() == "既読 0/1"
    assert_accessible(nurse_page)
    assert_fits_width(nurse_page)

    # The care manager's list shows that patient first, marked urgent; opening it reads the post.
    page.goto(live_server.url + "/patients/")
    first = page.get_by_test_id("patient-list").locator("li").first
    assert "架空 花子" in first.inner_text()
    assert "至急 1" in first.inner_text()
    assert "既存 利用者" in page.get_by_test_id("patient-list").locator("li").nth(1).inner_text()
    first.get_by_role("link", name="架空 花子").click()
    page.get_by_text("38.5℃の発熱があります。主治医に連絡済みです。").wait_for()
    assert_accessible(page)

    # The nurse sees her post read.
    nurse_page.reload()
    post = nurse_page.get_by_test_id("post").filter(has_text="38.5℃の発熱があります。")
    assert post.get_by_test_id("read-receipt").inner_text() == "既読 1/1"
    post.get_by_test_id("read-receipt").click()
    assert post.get_by_text("三戸 ケアマネ").is_visible()
    nurse_context.close()
