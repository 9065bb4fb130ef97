"""The region administrator reads the 入退院 indicators and the usage per organisation from the menu
(PC, then re-opened at 360 px with axe by the browser conftest's assert_accessible)."""

from __future__ import annotations

import pytest

from renkei.core.models import Organization, User
from tests.browser.conftest import assert_accessible
from tests.browser.login import log_in
from tests.conftest import PASSWORD, make_user
from tests.core.totp import confirmed_totp_device
from tests.sharing.conftest import care_office, cm, patient  # noqa: F401
from tests.transitions.conftest import admit, tokyo

pytestmark = pytest.mark.usefixtures("region_data")


def test_the_region_administrator_reads_indicators_and_usage(live_server, page, hachinohe, cm, patient):  # noqa: F811
    admit(cm, patient, tokyo(2026, 5, 7, 10))
    association = Organization.objects.create(
        name="テスト医師会", kind=Organization.Kind.MEDICAL_ASSOCIATION, municipality=hachinohe
    )
    alice = make_user("alice", association, User.Role.REGION_ADMIN)
    log_in(page, live_server, "alice", PASSWORD, confirmed_totp_device(alice))
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="入退院調整の指標").click()
    page.get_by_label("年度").select_option("2026")
    page.get_by_role("button", name="表示").click()
    months = page.get_by_test_id("indicator-months")
    assert "0/1（0.0%）" in months.locator("tr", has_text="令和8年5月").inner_text()
    assert "テスト市民病院" in page.get_by_test_id("indicator-hospitals").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="組織別の活用状況").click()
    assert cm.organization.name in page.get_by_test_id("usage-table").inner_text()
    assert_accessible(page)
