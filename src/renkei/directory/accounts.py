"""The facility's own accounts: the organisation a facility is linked to, whose staff keep its entry
current after login."""

from __future__ import annotations

from typing import Any

from renkei.core.models import Organization
from renkei.directory.models import Facility


def facility_accounts(facility: Facility) -> dict[str, Any]:
    """For staff: the organisation linked to the facility and the active accounts that may keep
    its entry current after login (names only)."""
    if facility.organization_id is None:
        return {"organization": None, "members": []}
    organization = Organization.objects.select_related("municipality").get(pk=facility.organization_id)
    members = list(organization.members.filter(is_active=True).order_by("full_name_kana", "full_name", "id"))
    return {"organization": organization, "members": [m.full_name or m.get_username() for m in members]}
