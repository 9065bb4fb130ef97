"""The contact path at the top of the patient page, outside office hours."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import User


def patient_panel(user: Any, patient: Any, access: Any) -> dict[str, Any] | None:
    from renkei.continuity import services

    now = timezone.now()
    if not isinstance(user, User) or not permissions.can_view_contact_path(access):
        return None
    if services.is_office_hours(now):
        return None
    path = services.path_on_patient_page(user, patient, now, access)
    if path is None:
        return None
    return {"path": path, "patient": patient}
