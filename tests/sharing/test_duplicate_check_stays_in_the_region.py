from __future__ import annotations

from renkei.core.models import AccessLog, Municipality, Organization, Region, User
from renkei.sharing.models import Patient
from tests.conftest import make_user
from tests.core.totp import verified_login


def test_a_professional_of_another_region_learns_nothing_of_this_regions_patients(client, patient):
    elsewhere = Region.objects.create(slug="aomori", name="青森圏域", short_name="青森", prefecture="青森県")
    aomori = Municipality.objects.create(code="022012", name="青森市", prefecture="青森県", region=elsewhere)
    office = Organization.objects.create(
        name="青森の居宅介護支援事業所", kind=Organization.Kind.CARE_MANAGEMENT_OFFICE, municipality=aomori
    )
    outsider = make_user("outsider", office, User.Role.PROFESSIONAL, profession=User.Profession.CARE_MANAGER)
    verified_login(client, outsider)
    # The same kana and birth date as the 八戸 patient: no warning, the record is made in 青森.
    response = client.post(
        "/patients/new/",
        {
            "full_name": "架空 花子",
            "full_name_kana": "カクウ ハナコ",
            "birth_date": "1938-04-02",
            "sex": "female",
            "municipality": aomori.pk,
            "address": "青森市1-1",
            "insurance_number": "",
            "care_level": "care_2",
            "team_role": "care_manager",
        },
    )
    assert response.status_code == 302
    assert Patient.objects.filter(organization=office).count() == 1
    assert not AccessLog.objects.filter(user=outsider, object_type="duplicate_check").exists()
