"""An invitation pre-sets the role from the invitee's profession, and tells the invitee: on their
list and start page at once, by mail as their notification setting says (never naming the patient)."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from renkei.sharing import services
from renkei.sharing.models import NotificationPreference
from tests.conftest import make_user
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent


def test_the_role_is_pre_set_from_the_found_persons_profession(client, cm, carol, patient):
    pharmacist = make_user(
        "pharm", carol.organization, "professional", profession="pharmacist", full_name="八戸 薬剤師"
    )
    verified_login(client, cm)
    page = client.post(f"/patients/{patient.pk}/team/", {"q": "八戸"}).content.decode()
    carol_select = page[page.index(f'id="role-{carol.pk}"') :]
    carol_select = carol_select[: carol_select.index("</select>")]
    assert '<option value="visiting_nurse" selected>訪問看護</option>' in carol_select
    assert carol_select.count(" selected") == 1
    pharmacist_select = page[page.index(f'id="role-{pharmacist.pk}"') :]
    pharmacist_select = pharmacist_select[: pharmacist_select.index("</select>")]
    assert '<option value="pharmacist" selected>薬剤師</option>' in pharmacist_select


def test_the_invitee_sees_the_invitation_until_opening_the_record(client, cm, carol, patient):
    give_consent(patient, cm)
    add_member(patient, cm, carol)
    verified_login(client, carol)
    home = client.get("/patients/").content.decode()
    assert home.count('data-testid="new-invitation"') == 1
    start = client.get("/staff/").content.decode()
    assert 'data-testid="start-invitations">1<' in start
    client.get(f"/patients/{patient.pk}/")
    assert 'data-testid="new-invitation"' not in client.get("/patients/").content.decode()
    assert 'data-testid="start-invitations"' not in client.get("/staff/").content.decode()


def test_the_registering_member_has_no_invitation(client, cm, patient):
    verified_login(client, cm)
    assert 'data-testid="new-invitation"' not in client.get("/patients/").content.decode()


def test_no_mail_for_an_invitee_who_turned_mail_off(cm, carol, patient, django_capture_on_commit_callbacks):
    carol.email = "carol@example.invalid"
    carol.save()
    NotificationPreference.objects.create(user=carol, mode=NotificationPreference.Mode.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        add_member(patient, cm, carol)
    assert mail.outbox == []


def test_a_digest_reader_hears_of_the_invitation_in_the_digest(
    cm, carol, patient, django_capture_on_commit_callbacks
):
    carol.email = "carol@example.invalid"
    carol.save()
    NotificationPreference.objects.create(
        user=carol, mode=NotificationPreference.Mode.DIGEST, covered_until=timezone.now() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        add_member(patient, cm, carol)
    assert mail.outbox == []  # not at once
    run = services.send_digests(timezone.now() + timedelta(seconds=1))
    assert run.sent == 1
    (message,) = mail.outbox
    assert message.to == ["carol@example.invalid"]
    assert "ケアチームへの新しい招待が1件あります。" in message.body
    assert "新しい投稿" not in message.body
    assert "架空" not in message.subject + message.body
    assert "三戸" not in message.subject + message.body
