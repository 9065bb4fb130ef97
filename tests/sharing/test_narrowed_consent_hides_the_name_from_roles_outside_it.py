"""When the family narrows the consent to the care manager only, the visiting nurse of another
organisation stops seeing the patient everywhere: the record, her home list (name and
municipality) and the lists other apps offer — never seen in one place and hidden in another."""

from __future__ import annotations

from renkei.core import permissions
from renkei.sharing import services
from renkei.sharing.models import TeamRole
from tests.core.totp import verified_login
from tests.sharing.conftest import add_member, give_consent

NARROWER = {
    "given_by": "架空 一郎",
    "relationship": "長男",
    "given_on": "2026-11-10",
    "method": "written",
    "scope_roles": ["care_manager"],
    "scope": "",
}


def _what_carol_sees(client, carol, patient):
    entry = services.home_list(carol)[0]
    return (
        permissions.can_view_patient(carol, patient),
        (entry.visible, entry.full_name, entry.municipality),
        patient in services.visible_patients(carol),
        "架空 花子" in client.get("/patients/").content.decode(),
    )


def test_visiting_nurse_outside_a_narrowed_consent_no_longer_sees_the_name_in_her_home_list(
    client, cm, carol, patient
):
    give_consent(patient, cm)  # the whole team
    add_member(patient, cm, carol, TeamRole.VISITING_NURSE)
    owner = client.__class__()
    verified_login(owner, cm)
    verified_login(client, carol)
    assert _what_carol_sees(client, carol, patient) == (True, (True, "架空 花子", "八戸市"), True, True)

    # Narrowing without recording the withdrawal first is refused: the old consent stays the one in force.
    owner.post(f"/patients/{patient.pk}/consent/", NARROWER)
    assert _what_carol_sees(client, carol, patient) == (True, (True, "架空 花子", "八戸市"), True, True)

    # The proper way: the withdrawal, then the narrower consent; the nurse is invited again.
    owner.post(
        f"/patients/{patient.pk}/consent/withdraw/",
        {"note": "長男より範囲を狭めたいと申し出", "confirm": "on"},
    )
    owner.post(f"/patients/{patient.pk}/consent/", NARROWER)
    add_member(patient, cm, carol, TeamRole.VISITING_NURSE)
    assert _what_carol_sees(client, carol, patient) == (False, (False, "", ""), False, False)
