from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from renkei.core import permissions
from renkei.core.models import Municipality, Organization, Region, User


@pytest.fixture
def hachinohe_region(db) -> Region:
    return Region.objects.get(slug="hachinohe")


@pytest.fixture
def other_region(db) -> Region:
    region = Region.objects.create(
        slug="aomori", name="青森地域保健医療圏域", short_name="青森圏域", prefecture="青森県"
    )
    Municipality.objects.create(code="022012", name="青森市", prefecture="青森県", region=region)
    return region


def test_anonymous_visitor_may_do_nothing_of_staff(hachinohe, hachinohe_region):
    anonymous = AnonymousUser()
    assert not permissions.can_view_staff_area(anonymous)
    assert not permissions.can_manage_municipality(anonymous, hachinohe)
    assert not permissions.can_add_municipality(anonymous, hachinohe_region)
    assert list(permissions.managed_municipalities(anonymous)) == []


def test_region_admin_manages_every_municipality_of_her_region_only(
    alice, hachinohe_region, other_region, gonohe
):
    assert permissions.is_region_admin(alice, hachinohe_region)
    assert not permissions.is_region_admin(alice, other_region)
    assert permissions.can_manage_municipality(alice, gonohe)
    assert not permissions.can_manage_municipality(alice, Municipality.objects.get(code="022012"))
    assert permissions.managed_municipalities(alice).count() == 8
    assert permissions.can_add_municipality(alice, hachinohe_region)
    assert not permissions.can_add_municipality(alice, other_region)


def test_municipality_staff_manages_only_his_own_municipality(bob, gonohe, hachinohe, hachinohe_region):
    assert permissions.can_view_staff_area(bob)
    assert permissions.can_manage_municipality(bob, gonohe)
    assert not permissions.can_manage_municipality(bob, hachinohe)
    assert list(permissions.managed_municipalities(bob)) == [gonohe]
    assert not permissions.can_add_municipality(bob, hachinohe_region)


def test_professional_sees_the_staff_area_but_manages_nothing(carol, hachinohe, hachinohe_region):
    assert permissions.can_view_staff_area(carol)
    assert not permissions.can_manage_municipality(carol, hachinohe)
    assert permissions.managed_municipalities(carol).count() == 0
    assert not permissions.is_region_admin(carol)


def test_deactivated_region_admin_loses_every_right(alice, gonohe):
    alice.is_active = False
    alice.save()
    assert not permissions.can_view_staff_area(alice)
    assert not permissions.can_manage_municipality(alice, gonohe)


def test_user_without_organisation_is_not_a_region_member(db):
    loner = User.objects.create_user("dave", password="x" * 12, role=User.Role.REGION_ADMIN)
    assert not permissions.is_region_admin(loner)
    assert not permissions.can_view_staff_area(loner)


def test_municipality_staff_must_belong_to_a_municipal_office_or_support_center(hachinohe):
    from django.core.exceptions import ValidationError

    clinic = Organization.objects.create(
        name="テスト診療所", kind=Organization.Kind.CLINIC, municipality=hachinohe
    )
    user = User(username="eve", organization=clinic, role=User.Role.MUNICIPALITY_STAFF)
    with pytest.raises(ValidationError, match="市町村職員の所属"):
        user.full_clean()
