"""The overdue dashboard (per care manager, per hospital) and ``renkei transitions send-reminders``:
re-runnable, one mail per person, nothing personal in it; a mail server that is down leaves the
reminder for the next run, an address refused for good is recorded."""

from __future__ import annotations

import smtplib
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.test import override_settings

from renkei.transitions import services
from renkei.transitions.models import EpisodeReminder
from tests.conftest import make_user
from tests.core.totp import verified_login
from tests.sharing.conftest import give_consent, register
from tests.transitions.conftest import admit, tokyo


class DownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"cm@example.invalid": (550, b"no such user")})


@pytest.fixture
def overdue(cm, patient, liaison):
    """On 2026-12-08: the admission sheet (due 12/5) not sent; the hospital's contact (due 12/7,
    discharge 12/10) not made. A second patient's episode is fully on time."""
    give_consent(patient, cm)
    late = admit(cm, patient, tokyo(2026, 12, 3), expected_discharge=date(2026, 12, 10), liaison_user=liaison)
    other = register(cm, full_name="架空 次郎", full_name_kana="かくう じろう", birth_date=date(1940, 1, 1))
    on_time = admit(
        cm, other, tokyo(2026, 12, 7), hospital_name="別の病院", expected_discharge=date(2026, 12, 20)
    )
    return late, on_time


def test_the_dashboard_lists_overdue_items_per_care_manager_and_per_hospital(cm, overdue, cm_colleague):
    late, _ = overdue
    board = services.overdue_dashboard(cm, today=date(2026, 12, 8))
    assert [(i.episode_id, i.kind, i.due, i.days_over) for i in board.items] == [
        (late.pk, "admission_info", date(2026, 12, 5), 3),
        (late.pk, "discharge_contact", date(2026, 12, 7), 1),
    ]
    by_cm = services.group_counts(cm, "care_manager", today=date(2026, 12, 8))
    assert [(g.name, g.admission_info, g.discharge_contact) for g in by_cm] == [("三戸 ケアマネ", 1, 1)]
    by_hospital = services.group_counts(cm, "hospital", today=date(2026, 12, 8))
    assert [(g.name, g.admission_info, g.discharge_contact) for g in by_hospital] == [
        ("テスト市民病院", 1, 1)
    ]
    assert services.overdue_dashboard(cm_colleague, today=date(2026, 12, 8)).items == []


def test_the_liaison_sees_the_episodes_that_name_them(overdue, liaison):
    board = services.overdue_dashboard(liaison, today=date(2026, 12, 8))
    assert [item.kind for item in board.items] == ["admission_info", "discharge_contact"]


def test_recorded_or_closed_items_are_not_overdue(cm, overdue):
    late, _ = overdue
    with time_machine.travel(tokyo(2026, 12, 8, 12)):
        services.record_progress(cm, late.pk, "admission_info", tokyo(2026, 12, 8, 9))
    assert [i.kind for i in services.overdue_dashboard(cm, today=date(2026, 12, 8)).items] == [
        "discharge_contact"
    ]
    services.update_episode(cm, late.pk, {"status": "discharged", "discharged_on": date(2026, 12, 8)})
    assert services.overdue_dashboard(cm, today=date(2026, 12, 8)).items == []


def test_the_dashboard_page_groups_by_hospital(client, cm, overdue):
    with time_machine.travel(tokyo(2026, 12, 8, 9)):
        verified_login(client, cm)
        page = client.get("/transitions/?by=hospital").content.decode()
    assert "テスト市民病院（2件）" in page
    assert "入院時情報提供" in page


def _remind() -> str:
    out = StringIO()
    call_command("transitions", "send-reminders", stdout=out)
    return out.getvalue()


def test_reminders_go_once_and_name_no_patient(cm, overdue, liaison):
    with time_machine.travel(tokyo(2026, 12, 8, 7)):
        assert "送信 3件（メール2通）" in _remind()
        assert "送信 0件" in _remind()
    assert sorted(m.to[0] for m in mail.outbox) == ["cm@example.invalid", "liaison@example.invalid"]
    to_cm = next(m for m in mail.outbox if m.to == ["cm@example.invalid"])
    assert to_cm.subject == "【Renkei】入退院調整の期限を過ぎた項目が2件あります"
    assert "入院時情報提供（期限 2026年12月5日）" in to_cm.body
    assert "退院前の病院からの連絡（期限 2026年12月7日）" in to_cm.body
    for message in mail.outbox:
        for secret in ("架空", "かくう", "テスト市民病院", "花子"):
            assert secret not in message.subject + message.body


def test_a_moved_deadline_is_reminded_again(cm, overdue):
    late, _ = overdue
    with time_machine.travel(tokyo(2026, 12, 8, 7)):
        _remind()
    services.update_episode(cm, late.pk, {"expected_discharge": date(2026, 12, 11)})  # contact due 12/8
    with time_machine.travel(tokyo(2026, 12, 9, 7)):
        assert "送信 2件" in _remind()


def test_a_mail_server_that_is_down_leaves_the_reminders_for_the_next_run(cm, overdue, liaison):
    with time_machine.travel(tokyo(2026, 12, 8, 7)):
        with override_settings(EMAIL_BACKEND=f"{__name__}.DownBackend"), pytest.raises(CommandError):
            _remind()
        assert EpisodeReminder.objects.filter(sent_at=None, claimed_at=None, failed_at=None).count() == 3
        assert "送信 3件" in _remind()


def test_an_address_refused_for_good_is_recorded_and_not_tried_again(cm, overdue):
    with time_machine.travel(tokyo(2026, 12, 8, 7)):
        with override_settings(EMAIL_BACKEND=f"{__name__}.RefusingBackend"), pytest.raises(CommandError):
            _remind()
        assert EpisodeReminder.objects.exclude(failed_at=None).count() == 3
        assert "送信対象 0件" in _remind()


def test_someone_who_left_the_team_is_not_reminded(client, cm, patient, hachinohe):
    other_cm = make_user(
        "cm3", cm.organization, "professional", profession="care_manager", email="c3@example.invalid"
    )
    episode = admit(cm, patient, tokyo(2026, 12, 3), care_manager=None)
    episode.care_manager = other_cm  # named, but never on the team
    episode.save()
    with time_machine.travel(tokyo(2026, 12, 8, 7)):
        assert "対象外 1件" in _remind()
    assert mail.outbox == []


def test_a_dry_run_sends_nothing(overdue):
    out = StringIO()
    with time_machine.travel(tokyo(2026, 12, 8, 7)):
        call_command("transitions", "send-reminders", "--dry-run", stdout=out)
    assert "送信対象: 3件" in out.getvalue()
    assert mail.outbox == [] and not EpisodeReminder.objects.exists()


@pytest.fixture
def third(cm, overdue):
    """A third episode at 別の病院, admitted 2026-12-01 without an expected discharge: only its
    admission sheet (due 12/3) is overdue on 12/8."""
    someone = register(
        cm, full_name="架空 三郎", full_name_kana="かくう さぶろう", birth_date=date(1941, 2, 2)
    )
    return admit(cm, someone, tokyo(2026, 12, 1), hospital_name="別の病院")


def test_the_page_counts_per_group_and_lists_one_page_in_deadline_order(cm, overdue, third, monkeypatch):
    from renkei.transitions.services import dashboard

    late, _ = overdue
    today = date(2026, 12, 8)
    by_hospital = services.group_counts(cm, "hospital", today=today)
    assert [(g.name, g.admission_info, g.discharge_contact, g.total) for g in by_hospital] == [
        ("テスト市民病院", 1, 1, 2),
        ("別の病院", 1, 0, 1),
    ]
    monkeypatch.setattr(dashboard, "PAGE_SIZE", 2)
    first = services.overdue_page(cm, today=today)
    assert first.total == 3 and first.page.paginator.num_pages == 2
    assert [(i.episode_id, i.kind, i.due, i.days_over) for i in first.page] == [
        (third.pk, "admission_info", date(2026, 12, 3), 5),
        (late.pk, "admission_info", date(2026, 12, 5), 3),
    ]
    second = services.overdue_page(cm, page=2, today=today)
    assert [(i.episode_id, i.kind, i.due) for i in second.page] == [
        (late.pk, "discharge_contact", date(2026, 12, 7))
    ]
    chosen = services.overdue_page(cm, by="hospital", group="別の病院", today=today)
    assert chosen.group is not None and chosen.group.name == "別の病院"
    assert [(i.episode_id, i.kind) for i in chosen.page] == [(third.pk, "admission_info")]
    by_cm = services.overdue_page(cm, group=str(cm.pk), page="99", today=today)
    assert by_cm.page.number == 2  # a page past the end shows the last one
    assert services.overdue_page(cm, group="no-such", today=today).group is None


def test_the_page_shows_counts_and_the_chosen_groups_items(client, cm, overdue, third):
    with time_machine.travel(tokyo(2026, 12, 8, 9)):
        verified_login(client, cm)
        page = client.get("/transitions/", {"by": "hospital", "group": "別の病院"}).content.decode()
    assert "テスト市民病院（2件）" in page and "別の病院（1件）" in page
    assert "別の病院の項目" in page
    assert page.count("架空 三郎") == 1 and "架空 花子" not in page
