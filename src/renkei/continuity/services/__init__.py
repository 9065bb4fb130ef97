"""The rules of nights, holidays and emergencies, called by pages, the API and the commands alike.

They follow the service contract of :mod:`renkei.core.services`: each takes the acting user,
refuses with ``PermissionDenied`` or :class:`ContinuityError` (a ``RuleError``), and writes the
access log itself when it reads or changes a patient's data.
"""

from renkei.continuity.services._common import ContinuityError
from renkei.continuity.services.acp import acp_history, is_overdue, overdue_reviews, record_acp
from renkei.continuity.services.acp_reminders import AcpReminderRun, send_acp_reminders
from renkei.continuity.services.cover import (
    COVER_FIELDS,
    Cover,
    CoverRow,
    cover_table,
    cover_workbook,
    record_population,
)
from renkei.continuity.services.duty import Duty, DutyBook, coverage, on_duty
from renkei.continuity.services.kit import (
    ReprintNotice,
    kit_values,
    print_kit,
    reprint_notice,
    set_blood_type,
    version_code,
)
from renkei.continuity.services.paths import (
    ResolvedPath,
    ResolvedStep,
    add_step,
    is_office_hours,
    latest_acp,
    move_step,
    path_on_patient_page,
    remove_step,
    resolve_path,
    resolve_paths,
    step_choices,
    tonight,
)
from renkei.continuity.services.rotas import (
    add_exception,
    add_slot,
    create_rota,
    duty_now,
    organization_rotas,
    remove_exception,
    remove_slot,
    rota_for,
    update_rota,
    week_coverage,
)

__all__ = [
    "COVER_FIELDS",
    "AcpReminderRun",
    "ContinuityError",
    "Cover",
    "CoverRow",
    "Duty",
    "DutyBook",
    "ReprintNotice",
    "ResolvedPath",
    "ResolvedStep",
    "acp_history",
    "add_exception",
    "add_slot",
    "add_step",
    "cover_table",
    "cover_workbook",
    "coverage",
    "create_rota",
    "duty_now",
    "is_office_hours",
    "is_overdue",
    "kit_values",
    "latest_acp",
    "move_step",
    "on_duty",
    "organization_rotas",
    "overdue_reviews",
    "path_on_patient_page",
    "print_kit",
    "record_acp",
    "record_population",
    "remove_exception",
    "remove_slot",
    "remove_step",
    "reprint_notice",
    "resolve_path",
    "resolve_paths",
    "rota_for",
    "send_acp_reminders",
    "set_blood_type",
    "step_choices",
    "tonight",
    "update_rota",
    "version_code",
    "week_coverage",
]
