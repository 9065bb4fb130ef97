"""Issue 12's review of 入退院 coordination: what an outsider or the wrong insider could do with an
episode, a document, its FHIR export and import, and the one-time link."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied

from renkei.core import permissions
from renkei.core.models import AccessLog, Organization, User
from renkei.transitions import services
from renkei.transitions.fhir_import import FhirRefused
from renkei.transitions.models import TransitionDocument
from tests.conftest import make_user
from tests.core.totp import verified_login
from tests.sharing.conftest import break_glass, give_consent
from tests.transitions.conftest import admit, tokyo
from tests.transitions.test_documents import ADMISSION


@pytest.fixture
def episode(cm, patient, liaison):
    give_consent(patient, cm)
    return admit(cm, patient, tokyo(2026, 12, 3), liaison_user=liaison)


@pytest.fixture
def sheet(cm, episode):
    document = services.create_document(cm, episode.pk, "admission_info", ADMISSION)
    services.send_document(cm, document.pk)
    return document


def test_the_one_time_link_is_never_cached(client, cm, sheet):
    _, url = services.issue_link(cm, sheet.pk)
    path = urlsplit(url).path
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # The refusal of a used link names the patient's document too: not cached either.
    assert "no-store" in client.get(path)["Cache-Control"]


def test_the_liaison_cannot_import_the_care_managers_sheet(cm, liaison, episode, sheet):
    """The liaison writes the 退院・退所情報記録書, never the 入院時情報提供書 — not through FHIR either."""
    raw = json.dumps(services.export_document(cm, sheet.pk)).encode()
    with pytest.raises(PermissionDenied):
        services.import_document(liaison, raw, episode_pk=episode.pk)
    assert not TransitionDocument.objects.filter(author=liaison).exists()


def test_a_liaison_who_left_the_hospital_no_longer_sees_the_episode(liaison, episode, sheet, care_office):
    liaison.organization = care_office
    liaison.save()
    assert not permissions.can_view_episode(liaison, episode)
    assert not permissions.can_view_document(liaison, sheet)
    assert not permissions.episodes_visible_to(liaison).exists()


def test_break_glass_reads_of_a_document_are_flagged(hospital_org, sheet):
    er_doctor = make_user("erdoc", hospital_org, User.Role.PROFESSIONAL, profession=User.Profession.PHYSICIAN)
    break_glass(er_doctor, sheet.patient)
    services.read_document(er_doctor, sheet.pk)
    services.document_pdf(er_doctor, sheet.pk)
    services.export_document(er_doctor, sheet.pk)
    reads = AccessLog.objects.filter(user=er_doctor, subject_id=str(sheet.patient_id)).exclude(
        object_type__in=["emergency_access", "patient"]
    )
    assert reads.count() == 3
    assert all(row.flagged for row in reads)


def test_deeply_nested_json_is_refused_not_a_crash(cm, patient, episode):
    with pytest.raises(FhirRefused) as refused:
        services.import_document(cm, b"[" * 200_000 + b"]" * 200_000, patient_pk=patient.pk)
    assert refused.value.code == "fhir_malformed"


def test_deep_nesting_inside_a_bundle_is_refused(cm, patient, episode, sheet):
    bundle = services.export_document(cm, sheet.pk)
    nested: dict = {"url": "x", "valueString": "y"}
    for _ in range(5000):
        nested = {"url": "x", "extension": [nested]}
    bundle["entry"][0]["resource"]["extension"] = [nested]
    raw = _dumps_deep(bundle)  # json.dumps itself would recurse too deep
    with pytest.raises(FhirRefused):
        services.import_document(cm, raw, patient_pk=patient.pk)


def _dumps_deep(data) -> bytes:
    """``json.dumps`` without recursion (the test's document is deeper than Python's stack)."""
    out: list[str] = []
    stack: list = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and item.startswith("\x00"):
            out.append(item[1:])
        elif isinstance(item, dict):
            parts: list = ["\x00{"]
            for i, (key, value) in enumerate(item.items()):
                parts += ["\x00," if i else "\x00", "\x00" + json.dumps(key) + ":", value]
            parts.append("\x00}")
            stack.extend(reversed(parts))
        elif isinstance(item, list):
            parts = ["\x00["]
            for i, value in enumerate(item):
                parts += ["\x00," if i else "\x00", value]
            parts.append("\x00]")
            stack.extend(reversed(parts))
        else:
            out.append(json.dumps(item, ensure_ascii=False))
    return "".join(out).encode()


def test_the_liaison_of_another_hospital_sees_nothing(hachinohe, cm, episode, sheet):
    other = Organization.objects.create(
        name="別の病院", kind=Organization.Kind.HOSPITAL, municipality=hachinohe
    )
    stranger = make_user(
        "other-liaison", other, User.Role.PROFESSIONAL, profession=User.Profession.SOCIAL_WORKER
    )
    assert not permissions.can_view_episode(stranger, episode)
    with pytest.raises(PermissionDenied):
        services.read_document(stranger, sheet.pk)
    with pytest.raises(PermissionDenied):
        services.issue_link(stranger, sheet.pk)


def test_the_liaison_does_not_change_who_the_episode_names(hachinohe, cm, liaison, episode):
    """Naming the liaison and the care manager decides who sees the episode: the care team's choice."""
    other = Organization.objects.create(
        name="別の病院", kind=Organization.Kind.HOSPITAL, municipality=hachinohe
    )
    colleague = make_user(
        "other-liaison", other, User.Role.PROFESSIONAL, profession=User.Profession.SOCIAL_WORKER
    )
    values = {
        "hospital_name": episode.hospital_name,
        "admitted_at": episode.admitted_at,
        "status": "admitted",
    }
    with pytest.raises(PermissionDenied):
        services.update_episode(liaison, episode.pk, {**values, "liaison_user": colleague})
    with pytest.raises(PermissionDenied):
        services.update_episode(liaison, episode.pk, {**values, "care_manager": None})
    episode.refresh_from_db()
    assert episode.liaison_user_id == liaison.pk and episode.care_manager_id == cm.pk
    # The rest of the stay the hospital knows best: the liaison keeps it up to date.
    changed = services.update_episode(
        liaison, episode.pk, {**values, "ward": "5階東", "liaison_user": liaison, "care_manager": cm}
    )
    assert changed.ward == "5階東"


def test_opening_the_episode_form_is_a_logged_read(client, cm, episode):
    verified_login(client, cm)
    AccessLog.objects.all().delete()
    response = client.get(f"/transitions/episodes/{episode.pk}/edit/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert AccessLog.objects.filter(
        user=cm, action="view", subject_id=str(episode.patient_id), object_id=str(episode.pk)
    ).exists()


def test_the_liaisons_episode_form_lists_nobody_of_the_care_team(client, cm, liaison, episode, care_office):
    from tests.sharing.conftest import add_member

    nurse = make_user("nurse-x", care_office, User.Role.PROFESSIONAL, full_name="訪問 看護師")
    add_member(episode.patient, cm, nurse)
    verified_login(client, liaison)
    response = client.get(f"/transitions/episodes/{episode.pk}/edit/")
    assert response.status_code == 200
    assert "訪問 看護師" not in response.content.decode()
    form = {
        "hospital_name": episode.hospital_name,
        "ward": "5階東",
        "admitted_at": "2026-12-03T10:00",
        "status": "admitted",
        "care_manager": "",  # disabled: what is posted is ignored
    }
    assert client.post(f"/transitions/episodes/{episode.pk}/edit/", form).status_code == 302
    episode.refresh_from_db()
    assert (
        episode.ward == "5階東" and episode.care_manager_id == cm.pk and episode.liaison_user_id == liaison.pk
    )


@pytest.mark.parametrize("page", ["episodes/new/", "import-fhir/"])
def test_opening_a_patients_form_is_a_logged_read(client, cm, patient, page):
    give_consent(patient, cm)
    verified_login(client, cm)
    AccessLog.objects.all().delete()
    assert client.get(f"/transitions/patients/{patient.pk}/{page}").status_code == 200
    assert AccessLog.objects.filter(user=cm, action="view", subject_id=str(patient.pk)).exists()
