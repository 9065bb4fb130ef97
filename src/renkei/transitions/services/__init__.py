"""The rules of 入退院 coordination, called by the pages, the API and the commands alike. They follow
the service contract of :mod:`renkei.core.services`: each takes the acting user, refuses with
``PermissionDenied`` or :class:`TransitionError` (a ``RuleError``), and writes the access log itself.
Who may see an episode is decided in :mod:`renkei.core.permissions.transitions`."""

from renkei.transitions.services._common import TransitionError
from renkei.transitions.services.dashboard import (
    Dashboard,
    DashboardPage,
    GroupCount,
    OverdueItem,
    group_counts,
    overdue_dashboard,
    overdue_page,
)
from renkei.transitions.services.documents import (
    clean_content,
    create_document,
    document_for,
    document_pdf,
    episode_documents,
    new_document,
    page_context,
    read_document,
    send_document,
)
from renkei.transitions.services.episodes import (
    DueItem,
    create_episode,
    due_items,
    episode_for,
    patient_episodes,
    patient_for_form,
    read_episode,
    recompute_region,
    record_progress,
    update_episode,
)
from renkei.transitions.services.fhir import export_document, import_document, import_summary
from renkei.transitions.services.links import LINK_HOURS, LinkRefused, issue_link, revoke_link
from renkei.transitions.services.reminders import ReminderRun, send_reminders
from renkei.transitions.services.rule import save_rule

__all__ = [
    "LINK_HOURS",
    "Dashboard",
    "DashboardPage",
    "DueItem",
    "GroupCount",
    "LinkRefused",
    "OverdueItem",
    "ReminderRun",
    "TransitionError",
    "clean_content",
    "create_document",
    "create_episode",
    "document_for",
    "document_pdf",
    "due_items",
    "episode_documents",
    "episode_for",
    "export_document",
    "group_counts",
    "import_document",
    "import_summary",
    "issue_link",
    "new_document",
    "overdue_dashboard",
    "overdue_page",
    "page_context",
    "patient_episodes",
    "patient_for_form",
    "read_document",
    "read_episode",
    "recompute_region",
    "record_progress",
    "revoke_link",
    "save_rule",
    "send_document",
    "send_reminders",
    "update_episode",
]
