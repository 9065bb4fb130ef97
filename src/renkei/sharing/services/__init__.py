"""The rules of care-team sharing, called by the pages, the API and the commands alike. They follow
the service contract of :mod:`renkei.core.services`: each takes the acting user, refuses with
``PermissionDenied`` or :class:`SharingError` (a ``RuleError``), and writes the access log itself.
Who may see a patient is decided in :mod:`renkei.core.permissions.sharing`.

One module per concern; everything is offered here, so callers write ``services.create_post(...)``.
"""

from renkei.sharing.services._common import SharingError, log, patient_for
from renkei.sharing.services.access_log import (
    EXPORT_HEADER,
    export_access_log,
    export_rows,
    patient_access_log,
    read_access_log,
    region_access_log,
    with_emergency_reasons,
)
from renkei.sharing.services.consent import (
    CONSENT_IN_FORCE,
    active_consent,
    consent_history,
    open_consent_scan,
    record_consent,
    withdraw_consent,
)
from renkei.sharing.services.emergency import (
    EMERGENCY_HOURS,
    break_glass,
    emergency_accesses,
    find_for_emergency,
)
from renkei.sharing.services.notifications import (
    DigestRun,
    digest_due,
    notify_new_post,
    preference,
    send_digests,
)
from renkei.sharing.services.patients import (
    HomeEntry,
    default_team_role,
    home_list,
    is_possible_duplicate,
    kana_key,
    open_patient_form,
    register_patient,
    unread_counts,
    update_patient,
    view_patient,
    visible_patients,
)
from renkei.sharing.services.team import (
    care_team,
    current_members,
    end_membership,
    invite,
    search_invitees,
)
from renkei.sharing.services.timeline import (
    TIMELINE_PAGE_SIZE,
    TimelineEntry,
    TimelinePage,
    create_post,
    mark_read,
    open_attachment,
    patient_page,
    print_sheet,
    read_post,
    timeline,
    timeline_page,
)

__all__ = [
    "CONSENT_IN_FORCE",
    "EMERGENCY_HOURS",
    "EXPORT_HEADER",
    "TIMELINE_PAGE_SIZE",
    "DigestRun",
    "HomeEntry",
    "SharingError",
    "TimelineEntry",
    "TimelinePage",
    "active_consent",
    "break_glass",
    "care_team",
    "consent_history",
    "create_post",
    "current_members",
    "default_team_role",
    "digest_due",
    "emergency_accesses",
    "end_membership",
    "export_access_log",
    "export_rows",
    "find_for_emergency",
    "home_list",
    "invite",
    "is_possible_duplicate",
    "kana_key",
    "log",
    "mark_read",
    "notify_new_post",
    "open_attachment",
    "open_consent_scan",
    "open_patient_form",
    "patient_access_log",
    "patient_for",
    "patient_page",
    "preference",
    "print_sheet",
    "read_access_log",
    "read_post",
    "record_consent",
    "region_access_log",
    "register_patient",
    "search_invitees",
    "send_digests",
    "timeline",
    "timeline_page",
    "unread_counts",
    "update_patient",
    "view_patient",
    "visible_patients",
    "with_emergency_reasons",
]
