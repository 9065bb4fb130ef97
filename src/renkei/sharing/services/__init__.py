"""The rules of care-team sharing, called by the pages, the API and the commands alike. They follow
the service contract of :mod:`renkei.core.services`: each takes the acting user, refuses with
``PermissionDenied`` or :class:`SharingError` (a ``RuleError``), and writes the access log itself.
Who may see a patient is decided in :mod:`renkei.core.permissions.sharing`.

One module per concern; everything is offered here, so callers write ``services.create_post(...)``.
"""

from renkei.sharing.services._common import SharingError, patient_for
from renkei.sharing.services.access_log import (
    export_access_log,
    read_access_log,
    with_emergency_reasons,
)
from renkei.sharing.services.consent import (
    active_consent,
    consent_history,
    open_consent_scan,
    record_consent,
    withdraw_consent,
)
from renkei.sharing.services.emergency import (
    EMERGENCY_HOURS,
    MIN_REASON_LENGTH,
    EmergencyLookup,
    break_glass,
    emergency_accesses,
    emergency_limit,
    emergency_notices,
    emergency_review,
    find_for_emergency,
)
from renkei.sharing.services.notifications import (
    preference,
    send_digests,
)
from renkei.sharing.services.patients import (
    default_team_role,
    home_list,
    is_possible_duplicate,
    kana_key,
    open_patient_form,
    register_patient,
    update_patient,
    view_patient,
    visible_patients,
)
from renkei.sharing.services.physicians import (
    PhysicianCandidate,
    physician_candidate,
    physician_facilities,
    search_physicians,
)
from renkei.sharing.services.team import (
    care_team,
    current_members,
    end_membership,
    end_membership_by_id,
    end_memberships_after_a_move,
    invite,
    leave_team,
    remove_member,
    search_invitees,
)
from renkei.sharing.services.timeline import (
    TimelineEntry,
    create_post,
    open_attachment,
    open_attachment_thumbnail,
    patient_page,
    print_sheet,
    read_post,
    timeline_page,
)

__all__ = [
    "EMERGENCY_HOURS",
    "MIN_REASON_LENGTH",
    "EmergencyLookup",
    "PhysicianCandidate",
    "SharingError",
    "TimelineEntry",
    "active_consent",
    "break_glass",
    "care_team",
    "consent_history",
    "create_post",
    "current_members",
    "default_team_role",
    "emergency_accesses",
    "emergency_limit",
    "emergency_notices",
    "emergency_review",
    "end_membership",
    "end_membership_by_id",
    "end_memberships_after_a_move",
    "export_access_log",
    "find_for_emergency",
    "home_list",
    "invite",
    "is_possible_duplicate",
    "kana_key",
    "leave_team",
    "open_attachment",
    "open_attachment_thumbnail",
    "open_consent_scan",
    "open_patient_form",
    "patient_for",
    "patient_page",
    "physician_candidate",
    "physician_facilities",
    "preference",
    "print_sheet",
    "read_access_log",
    "read_post",
    "record_consent",
    "register_patient",
    "remove_member",
    "search_invitees",
    "search_physicians",
    "send_digests",
    "timeline_page",
    "update_patient",
    "view_patient",
    "visible_patients",
    "with_emergency_reasons",
    "withdraw_consent",
]
