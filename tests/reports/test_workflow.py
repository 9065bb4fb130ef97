"""下書き → 提出 → 確認済み, with history; municipality staff edit only their own municipality's rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from renkei.core import permissions
from renkei.reports.items import Item
from renkei.reports.models import ActivityEntry, EntryStatus
from renkei.reports.services import entries
from renkei.reports.services.rules import ReportError


@pytest.fixture
def report_round(region, alice):
    return entries.open_round(alice, region, date(2024, 12, 31))


def _entry(report_round, code: str, item=Item.A) -> ActivityEntry:
    return ActivityEntry.objects.get(round=report_round, municipality__code=code, item=item)


def test_opening_a_survey_makes_a_draft_per_municipality_and_item(report_round):
    assert report_round.entries.count() == 8 * 7
    assert set(report_round.entries.values_list("status", flat=True)) == {EntryStatus.DRAFT}
    assert report_round.as_of_label == "Ｒ6.12.末日時点"


def test_only_the_region_administrator_opens_a_survey(region, bob):
    with pytest.raises(PermissionDenied):
        entries.open_round(bob, region, date(2024, 12, 31))


def test_the_same_date_twice_is_refused(region, alice, report_round):
    with pytest.raises(ReportError, match="すでにあります"):
        entries.open_round(alice, region, date(2024, 12, 31))


def test_a_new_survey_starts_from_the_previous_answers(region, alice, bob, report_round):
    entry = _entry(report_round, "024422")
    entries.save_entry(bob, entry, entries.EntryInput(activities="・マップを更新した", issues="・特になし"))
    later = entries.open_round(alice, region, date(2025, 12, 31))
    copied = _entry(later, "024422")
    assert (copied.activities, copied.issues, copied.status) == ("・マップを更新した", "・特になし", "draft")


def test_staff_edit_submit_and_the_administrator_confirms(report_round, alice, bob):
    entry = _entry(report_round, "024422")  # 五戸町: bob's municipality
    data = entries.EntryInput(
        activities="・サービスマップを改訂", issues="・更新の手間", requests="・情報の確認",
        stage="do", scenes=("end_of_life", "daily"),
    )  # fmt: skip
    entry = entries.save_entry(bob, entry, data)
    assert entry.scenes == ["daily", "end_of_life"]
    entry = entries.submit_entry(bob, entry)
    assert entry.status == EntryStatus.SUBMITTED
    with pytest.raises(PermissionDenied):  # waiting for review: no more edits
        entries.save_entry(bob, entry, data)
    with pytest.raises(PermissionDenied):  # staff do not review
        entries.review_entry(bob, entry, accept=True)
    entry = entries.review_entry(alice, entry, accept=True)
    assert entry.status == EntryStatus.CONFIRMED
    reasons = list(entry.history.order_by("history_id").values_list("history_change_reason", "status"))
    assert reasons == [
        ("調査の開始", "draft"),
        ("編集", "draft"),
        ("提出", "submitted"),
        ("確認", "confirmed"),
    ]
    assert entry.history.latest().history_user == alice
    # Keeping the answer current: editing a confirmed answer makes it a draft again.
    entry = entries.save_entry(bob, entry, entries.EntryInput(activities="・追記"))
    assert entry.status == EntryStatus.DRAFT


def test_sending_back_needs_a_reason(report_round, alice, bob):
    entry = entries.submit_entry(bob, _entry(report_round, "024422"))
    with pytest.raises(ReportError, match="理由"):
        entries.review_entry(alice, entry, accept=False)
    entry = entries.review_entry(alice, entry, accept=False, comment="課題欄を記入してください")
    assert (entry.status, entry.review_comment) == ("draft", "課題欄を記入してください")


def test_staff_edit_only_their_own_municipality(report_round, bob, carol, alice):
    other = _entry(report_round, "022039")  # 八戸市
    assert not permissions.can_edit_activity_entry(bob, other)
    with pytest.raises(PermissionDenied):
        entries.save_entry(bob, other, entries.EntryInput(activities="x"))
    for outsider in (carol, alice):  # a professional; the administrator reviews but does not write
        with pytest.raises(PermissionDenied):
            entries.save_entry(outsider, _entry(report_round, "024422"), entries.EntryInput(activities="x"))
    editable = permissions.editable_activity_entries(bob).filter(round=report_round)
    assert set(editable.values_list("municipality__code", flat=True)) == {"024422"}
    assert editable.count() == 7
    assert not permissions.can_use_reports(carol)


def test_invalid_tags_and_overlong_text_are_refused(report_round, bob):
    entry = _entry(report_round, "024422")
    with pytest.raises(ReportError) as refused:
        entries.save_entry(bob, entry, entries.EntryInput(activities="あ" * 4001, stage="x", scenes=("y",)))
    assert [error["field"] for error in refused.value.errors] == ["activities", "stage", "scenes"]
