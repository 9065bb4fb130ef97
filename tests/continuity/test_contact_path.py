"""The contact path: each step resolved for a moment; every step unreachable said in red; the patient
page shows it outside office hours; ``renkei continuity tonight`` prints one JSON line."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from renkei.continuity import services
from renkei.continuity.models import StepKind
from renkei.continuity.services.duty import at
from renkei.core.models import AccessLog
from renkei.directory.models import Facility
from renkei.sharing.models import TeamRole
from tests.core.totp import verified_login

from .conftest import add_member, give_consent, register


@pytest.fixture
def hospital(hachinohe) -> Facility:
    return Facility.objects.create(
        name="テスト総合病院", category="hospital", municipality=hachinohe, phone="0178-00-0001",
        round_the_clock=True,
    )  # fmt: skip


@pytest.fixture
def unknown_hours(hachinohe) -> Facility:
    return Facility.objects.create(
        name="テスト医院（24時間不明）", category="clinic", municipality=hachinohe, phone="0178-00-0002"
    )


@pytest.fixture
def team(cm, carol, doctors):
    patient = register(cm)
    give_consent(patient, cm)
    nurse = add_member(patient, cm, carol, TeamRole.VISITING_NURSE)
    doctor = add_member(patient, cm, doctors["aoki"], TeamRole.PRIMARY_PHYSICIAN)
    return patient, nurse, doctor


@pytest.fixture
def path(team, carol, clinic, rotas, unknown_hours, hospital):
    patient, _nurse, _doctor = team
    services.add_step(carol, patient, {"kind": StepKind.ON_CALL, "organization": carol.organization,
                                       "phone": "0178-11-1111", "instructions": "訪問看護の24時間電話"})  # fmt: skip
    services.add_step(carol, patient, {"kind": StepKind.ON_CALL, "organization": clinic})
    services.add_step(carol, patient, {"kind": StepKind.FACILITY, "facility": unknown_hours})
    return patient


def _summary(resolved):
    return [(s.position, s.reachable, s.people) for s in resolved.steps]


def test_the_path_resolves_tonight_s_doctor(path, carol):
    resolved = services.resolve_path(carol, path, at(date(2026, 11, 4), 20, 0))
    # The station has no rota; Wednesday night is 青木's; the clinic's 24-hour service is unknown.
    assert _summary(resolved) == [(1, False, []), (2, True, ["青木"]), (3, False, [])]
    assert resolved.first.position == 2
    assert resolved.steps[0].reason == "この時間に有効な当番表がありません。"
    assert resolved.steps[2].reason == "24時間対応かどうか不明です（施設情報で未確認）。"
    assert not resolved.office_hours


def test_in_office_hours_a_facility_without_a_24_hour_service_answers(path, carol):
    resolved = services.resolve_path(carol, path, at(date(2026, 11, 4), 10, 0))
    assert resolved.office_hours
    assert _summary(resolved) == [(1, False, []), (2, False, []), (3, True, [])]
    assert resolved.steps[2].phone == "0178-00-0002"


def test_every_step_unreachable_is_said_so(path, carol, rotas, doctors):
    november, _december = rotas
    services.add_exception(
        doctors["aoki"], november, {"starts_at": at(date(2026, 11, 20), 20), "ends_at": at(date(2026, 11, 20), 23)}
    )  # fmt: skip
    resolved = services.resolve_path(carol, path, at(date(2026, 11, 20), 21, 0))
    assert resolved.all_unreachable
    assert resolved.steps[1].reason == "この時間の当番がいません（当番表の空白）。"


def test_a_24_hour_facility_and_119_always_answer(path, carol, hospital):
    services.add_step(carol, path, {"kind": StepKind.FACILITY, "facility": hospital, "phone": "0178-99-9999"})
    services.add_step(carol, path, {"kind": StepKind.EMERGENCY, "instructions": "呼吸停止なら119"})
    resolved = services.resolve_path(carol, path, at(date(2026, 11, 20), 21, 0))
    assert [(s.label, s.reachable, s.phone) for s in resolved.steps[3:]] == [
        ("テスト総合病院", True, "0178-99-9999"),
        ("119番通報", True, "119"),
    ]


def test_a_member_who_left_the_team_is_unreachable(team, cm, doctors):
    patient, _nurse, doctor = team
    services.add_step(cm, patient, {"kind": StepKind.MEMBER, "member": doctor, "phone": "090-0000-0000"})
    from renkei.sharing import services as sharing

    sharing.leave_team(doctors["aoki"], patient)
    resolved = services.resolve_path(cm, patient, at(date(2026, 11, 4), 22, 0))
    assert [(s.label, s.reachable, s.reason) for s in resolved.steps] == [
        ("青木（主治医・テスト在宅クリニック群）", False, "ケアチームを離れています。")
    ]
    assert resolved.all_unreachable


def test_steps_move_and_are_removed(path, carol):
    first, second, third = (
        s.step_id for s in services.resolve_path(carol, path, at(date(2026, 11, 4), 20)).steps
    )
    services.move_step(carol, path, third, -1)
    assert [s.step_id for s in services.resolve_path(carol, path, at(date(2026, 11, 4), 20)).steps] == [
        first,
        third,
        second,
    ]
    services.remove_step(carol, path, first)
    after = services.resolve_path(carol, path, at(date(2026, 11, 4), 20)).steps
    assert [(s.position, s.step_id) for s in after] == [(1, third), (2, second)]  # fmt: skip


def test_only_the_team_sees_and_changes_the_path(path, cm_colleague, er_doctor, clinic):
    with pytest.raises(PermissionDenied):
        services.resolve_path(cm_colleague, path, at(date(2026, 11, 4), 20))
    with pytest.raises(PermissionDenied):
        services.add_step(er_doctor, path, {"kind": StepKind.ON_CALL, "organization": clinic})


def test_a_step_must_name_its_target(path, carol):
    with pytest.raises(services.ContinuityError) as refused:
        services.add_step(carol, path, {"kind": StepKind.ON_CALL})
    assert refused.value.field == "organization"


def test_reading_the_path_is_logged(path, carol):
    services.resolve_path(carol, path, at(date(2026, 11, 4), 20))
    assert AccessLog.objects.filter(user=carol, object_type="contact_path", subject_id=str(path.pk)).exists()


def test_tonight_prints_one_json_line(path, cm, carol):
    other = register(cm, full_name="架空 次郎", full_name_kana="かくう じろう", birth_date=date(1940, 1, 1))
    out = StringIO()
    call_command("continuity", "tonight", "--at", "2026-11-04T20:00", "--user", "cm", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    printed = json.loads(lines[0])
    assert printed["at"] == "2026-11-04T20:00:00+09:00"
    by_patient = {row["patient_id"]: row for row in printed["patients"]}
    assert by_patient[path.pk]["first_contact"]["people"] == ["青木"]
    assert by_patient[path.pk]["first_contact"]["label"] == "テスト在宅クリニック群の当番"
    assert by_patient[other.pk] == {
        "patient_id": other.pk, "full_name": "架空 次郎", "first_contact": None, "all_unreachable": True,
    }  # fmt: skip
    # Each patient's path read is logged, once, as the acting care manager of her organisation.
    reads = AccessLog.objects.filter(object_type="contact_path", action="view")
    assert sorted(reads.values_list("subject_type", "subject_id", "object_id", "user__username")) == sorted(
        [("patient", str(pk), str(pk), "cm") for pk in (path.pk, other.pk)]
    )
    assert set(reads.values_list("organization_id", flat=True)) == {cm.organization_id}


@time_machine.travel(at(date(2026, 11, 4), 20, 0), tick=False)
def test_the_patient_page_shows_the_path_at_night(path, carol, client):
    verified_login(client, carol)
    page = client.get(f"/patients/{path.pk}/").content.decode()
    assert 'data-testid="contact-panel"' in page
    assert "青木" in page
    # Part of the patient page, whose read sharing logs: no row of its own.
    assert not AccessLog.objects.filter(object_type="contact_path", action="view").exists()


@time_machine.travel(at(date(2026, 11, 4), 20, 0), tick=False)
def test_a_patient_without_a_path_shows_no_panel(team, carol, client):
    patient, _nurse, _doctor = team
    verified_login(client, carol)
    assert 'data-testid="contact-panel"' not in client.get(f"/patients/{patient.pk}/").content.decode()


@time_machine.travel(at(date(2026, 11, 4), 10, 0), tick=False)
def test_the_patient_page_leaves_it_out_in_office_hours(path, carol, client):
    verified_login(client, carol)
    page = client.get(f"/patients/{path.pk}/").content.decode()
    assert 'data-testid="contact-panel"' not in page
    assert client.get(f"/continuity/patients/{path.pk}/path/").status_code == 200
    assert client.get(f"/continuity/patients/{path.pk}/path/print/").status_code == 200


@time_machine.travel(at(date(2026, 11, 20), 21, 0), tick=False)
def test_the_page_says_every_step_unreachable_in_red(path, carol, client, rotas, doctors):
    services.add_exception(
        doctors["aoki"], rotas[0], {"starts_at": at(date(2026, 11, 20), 20), "ends_at": at(date(2026, 11, 20), 23)}
    )  # fmt: skip
    verified_login(client, carol)
    page = client.get(f"/continuity/patients/{path.pk}/path/").content.decode()
    assert 'class="message message--error unreachable"' in page
