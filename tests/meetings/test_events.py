"""Planning an event, inviting organisations, registration, attendance, materials and minutes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.core import permissions
from renkei.core.models import Organization, User
from renkei.core.uploads import UploadRejected
from renkei.meetings.models import Event, EventKind
from renkei.meetings.services import events
from renkei.meetings.services.events import EventError
from tests.meetings.conftest import make_event, tokyo
from tests.sharing.conftest import tiny_pdf


def test_municipality_staff_plan_their_own_municipality_only(bob, gonohe, hachinohe):
    event = make_event(bob, gonohe)
    assert event.organizer == bob.organization and event.municipality == gonohe
    with pytest.raises(PermissionDenied):
        make_event(bob, hachinohe)
    with pytest.raises(PermissionDenied):
        make_event(bob, None)  # region-wide events are the region administrator's


def test_professionals_cannot_plan(carol, hachinohe):
    with pytest.raises(PermissionDenied):
        make_event(carol, hachinohe)


def test_region_admin_plans_region_wide_events(alice):
    event = make_event(alice, None, kind=EventKind.PROMOTION_MEETING)
    assert event.municipality is None and event.region.slug == "hachinohe"


def test_an_event_ends_after_it_starts_and_has_a_place_or_url(bob, gonohe):
    with pytest.raises(EventError) as error:
        make_event(bob, gonohe, ends_at=tokyo(2024, 6, 10, 17, 0))
    assert error.value.field == "ends_at"
    with pytest.raises(EventError) as error:
        make_event(bob, gonohe, place="")
    assert error.value.field == "place"
    make_event(bob, gonohe, place="", online_url="https://meet.example.invalid/x")


def test_invitations_go_to_the_chosen_kinds_of_the_municipality_or_region(bob, gonohe, hachinohe, ed, dora):
    event = make_event(bob, gonohe)
    assert events.invite(bob, event, [Organization.Kind.CARE_MANAGEMENT_OFFICE]) == 1
    assert events.invite(bob, event, [Organization.Kind.CARE_MANAGEMENT_OFFICE]) == 0
    assert events.invite(bob, event, [Organization.Kind.HOSPITAL], whole_region=True) == 1
    invited = set(event.invitations.values_list("organization__name", flat=True))
    assert invited == {"テスト居宅介護支援事業所", "テスト病院"}


def test_only_invited_organisations_register_and_see_the_event(bob, gonohe, ed, dora):
    event = make_event(bob, gonohe)
    events.invite(bob, event, [Organization.Kind.CARE_MANAGEMENT_OFFICE])
    with pytest.raises(PermissionDenied):
        events.register(dora, event)
    events.register(ed, event)
    events.register(ed, event)  # twice is once
    assert event.registrations.count() == 1
    assert permissions.can_view_event(ed, event) and not permissions.can_view_event(dora, event)


def test_paper_events_take_counts_and_online_ones_take_names(bob, gonohe, ed):
    paper = make_event(bob, gonohe, on_paper=True)
    with pytest.raises(EventError):
        events.record_named_attendance(bob, paper, [ed])
    events.record_counts(
        bob, paper, {(User.Profession.NURSE, True): 3, (User.Profession.CARE_MANAGER, False): 5}
    )
    events.record_counts(
        bob, paper, {(User.Profession.NURSE, True): 2, (User.Profession.CARE_MANAGER, False): 0}
    )
    rows = [(row.label, row.medical, row.other) for row in events.attendance_by_profession(paper)]
    assert rows == [("看護師", 2, 0)]
    online = make_event(bob, gonohe)
    with pytest.raises(EventError):
        events.record_counts(bob, online, {(User.Profession.NURSE, True): 1})


def test_named_attendance_counts_hospital_staff_as_medical(bob, gonohe, ed, dora, carol):
    event = make_event(bob, gonohe)
    assert events.record_named_attendance(bob, event, [ed, dora, carol]) == 3
    assert events.record_named_attendance(bob, event, [ed]) == 0
    rows = [(row.label, row.medical, row.other) for row in events.attendance_by_profession(event)]
    # dora: nurse at a hospital; carol: nurse at a visiting nurse station; ed: care manager.
    assert rows == [("看護師", 1, 1), ("介護支援専門員", 0, 1)]


def test_materials_are_pdf_only_and_read_by_registered_people(bob, gonohe, ed, dora, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    event = make_event(bob, gonohe)
    events.invite(bob, event, [Organization.Kind.CARE_MANAGEMENT_OFFICE])
    pdf = SimpleUploadedFile("資料.pdf", tiny_pdf())
    material = events.add_material(bob, event, "当日資料", pdf)
    with pytest.raises(UploadRejected):
        events.add_material(bob, event, "画像", SimpleUploadedFile("x.pdf", b"GIF89a not a pdf"))
    with pytest.raises(PermissionDenied):
        events.material_download(ed, material)
    events.register(ed, event)
    response = events.material_download(ed, material)
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response.file_to_stream.close()  # response.close() would signal request_finished and end the connection
    with pytest.raises(PermissionDenied):
        events.material_download(dora, material)
    with pytest.raises(PermissionDenied):
        events.add_material(ed, event, "x", SimpleUploadedFile("資料.pdf", tiny_pdf()))


def test_editing_an_event_raises_its_calendar_sequence(bob, gonohe, alice):
    event = make_event(bob, gonohe)
    events.update_event(bob, event, title="多職種研修 ACP（第2回）")
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("多職種研修 ACP（第2回）", 1)
    events.save_minutes(alice, event, "グループワーク4班。")  # the region administrator manages it too
    assert Event.objects.get(pk=event.pk).minutes == "グループワーク4班。"
