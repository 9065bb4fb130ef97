"""Outreach: printing the resource guides (public data, for anyone who works in the region); the
residents' portal pages (region administrators for the region's shared pages, municipality staff for
their own); the 出前講座 topics and requests and the 認知症ケアパス (the municipality's staff, the region's
administrators)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from renkei.core.models import Municipality, Region
from renkei.core.permissions.roles import (
    can_manage_municipality,
    home_region,
    is_municipality_staff,
    is_region_admin,
    is_region_member,
    managed_municipalities,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from renkei.core.models import User

    AnyUser = User | AnonymousUser


def can_print_resource_guides(user: AnyUser | None) -> bool:
    return is_region_member(user)


# --- the residents' portal: its pages, 出前講座 topics and requests ---


def can_edit_portal_page(user: AnyUser | None, region: Region, municipality: Municipality | None) -> bool:
    """The region's shared pages: its administrators. A municipality's own pages: its staff (and the
    region's administrators, who manage every municipality of the region)."""
    if municipality is None:
        return is_region_admin(user, region)
    return municipality.region_id == region.pk and can_manage_municipality(user, municipality)


def portal_page_scopes(user: AnyUser | None) -> tuple[Region | None, QuerySet[Municipality]]:
    """Where ``user`` may write pages: the region (for its shared pages, None when not allowed) and
    the municipalities (queryset form of :func:`can_edit_portal_page`)."""
    region = home_region(user) if is_region_admin(user) else None
    return region, managed_municipalities(user)


def can_use_portal_staff_pages(user: AnyUser | None) -> bool:
    return is_region_admin(user) or is_municipality_staff(user)


def can_handle_lecture_requests(user: AnyUser | None, municipality: Municipality) -> bool:
    """Reading a municipality's 出前講座 requests (personal data of the requesters), accepting or
    declining them, and keeping its list of topics: the municipality's staff and the region's
    administrators."""
    return can_manage_municipality(user, municipality)


def lecture_request_municipalities(user: AnyUser | None) -> QuerySet[Municipality]:
    """Queryset form of :func:`can_handle_lecture_requests`."""
    return managed_municipalities(user)


def can_edit_dementia_care_path(user: AnyUser | None, municipality: Municipality) -> bool:
    """A municipality's 認知症ケアパス is written like its own portal pages: by its staff and the
    region's administrators."""
    region = municipality.region
    return region is not None and can_edit_portal_page(user, region, municipality)


def dementia_care_path_municipalities(user: AnyUser | None) -> QuerySet[Municipality]:
    """Queryset form of :func:`can_edit_dementia_care_path`."""
    return portal_page_scopes(user)[1]
