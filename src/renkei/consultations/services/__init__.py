"""Rules of the consultation desk (旧オ 相談支援): recording, follow-up, the list, statistics and their
reports, the import of old tally sheets, the region's categories.

Pages, the API and the ``consultations`` command call these functions and follow the service contract
of :mod:`renkei.core.services`: they take the acting user, refuse with ``PermissionDenied`` or
:class:`ConsultationError` (a ``RuleError``), and write the access log themselves.

- :mod:`.rules` — the errors and the limits on days, times and text;
- :mod:`.cleaning` — :func:`clean_consultation`, the one cleaning of a case (form, API, import);
- :mod:`.recording` — record, correct, follow up, read and list cases;
- :mod:`.statistics` — :func:`statistics_request` (which desks, which days) and the counts;
- :mod:`.small_counts` — counts only: no period under a month, 1〜4件 read 「5件未満」;
- :mod:`.reports` — the counts as Excel and CSV, a desk's records as CSV;
- :mod:`.importing` — old tally sheets (CSV, Excel);
- :mod:`.categories`, :mod:`.institutions` — the region's categories, directory facilities.
"""

from renkei.consultations.services.categories import (
    add_category,
    categories_for,
    move_category,
    rename_category,
    set_category_active,
)
from renkei.consultations.services.cleaning import (
    CleanConsultation,
    clean_consultation,
    linkable_patients,
    patient_to_link,
)
from renkei.consultations.services.importing import (
    IMPORT_COLUMNS,
    IMPORT_HEADINGS,
    TEMPLATE_EXAMPLE,
    ImportRejected,
    ImportResult,
    import_consultations,
    import_limits,
    import_summary,
    import_template_csv,
    import_template_workbook,
    parse_day,
    parse_moment,
    read_sheet,
)
from renkei.consultations.services.institutions import (
    facility_by_exact_name,
    region_facilities,
    resolve_institution,
    search_facilities,
)
from renkei.consultations.services.recording import (
    ListFilter,
    add_follow_up,
    consultation_list,
    due_for_follow_up,
    find_consultation,
    read_consultation,
    read_page,
    record_consultation,
    update_consultation,
)
from renkei.consultations.services.reports import (
    export_records,
    records_csv,
    statistics_csv,
    statistics_workbook,
)
from renkei.consultations.services.rules import (
    EARLIEST_DAY,
    MAX_ID,
    YEARS_AHEAD,
    ConsultationError,
    PatientLinkForbidden,
    check_day,
    check_follow_up_date,
    check_period,
    check_received_at,
    check_text,
    desk_staff,
    latest_day,
    region_of_desk,
)
from renkei.consultations.services.small_counts import SMALL_COUNT, PeriodTooShort, hide_small_counts
from renkei.consultations.services.statistics import (
    TOP_INSTITUTIONS,
    FiscalYearOutOfRange,
    IncompletePeriod,
    Row,
    Statistics,
    StatisticsRequest,
    StatisticsScope,
    Table,
    bar_chart,
    compute_statistics,
    request_for,
    statistics_desks,
    statistics_of,
    statistics_period,
    statistics_request,
)
from renkei.core.fiscal import (
    REIWA_OFFSET,
    Period,
    fiscal_year_label,
    fiscal_year_of,
    fiscal_year_range,
    month_label,
)
from renkei.core.spreadsheet import csv_bytes

__all__ = [
    "EARLIEST_DAY",
    "IMPORT_COLUMNS",
    "IMPORT_HEADINGS",
    "MAX_ID",
    "REIWA_OFFSET",
    "SMALL_COUNT",
    "TEMPLATE_EXAMPLE",
    "TOP_INSTITUTIONS",
    "YEARS_AHEAD",
    "CleanConsultation",
    "ConsultationError",
    "FiscalYearOutOfRange",
    "ImportRejected",
    "ImportResult",
    "IncompletePeriod",
    "ListFilter",
    "PatientLinkForbidden",
    "Period",
    "PeriodTooShort",
    "Row",
    "Statistics",
    "StatisticsRequest",
    "StatisticsScope",
    "Table",
    "add_category",
    "add_follow_up",
    "bar_chart",
    "categories_for",
    "check_day",
    "check_follow_up_date",
    "check_period",
    "check_received_at",
    "check_text",
    "clean_consultation",
    "compute_statistics",
    "consultation_list",
    "csv_bytes",
    "desk_staff",
    "due_for_follow_up",
    "export_records",
    "facility_by_exact_name",
    "find_consultation",
    "fiscal_year_label",
    "fiscal_year_of",
    "fiscal_year_range",
    "hide_small_counts",
    "import_consultations",
    "import_limits",
    "import_summary",
    "import_template_csv",
    "import_template_workbook",
    "latest_day",
    "linkable_patients",
    "month_label",
    "move_category",
    "parse_day",
    "parse_moment",
    "patient_to_link",
    "read_consultation",
    "read_page",
    "read_sheet",
    "record_consultation",
    "records_csv",
    "region_facilities",
    "region_of_desk",
    "rename_category",
    "request_for",
    "resolve_institution",
    "search_facilities",
    "set_category_active",
    "statistics_csv",
    "statistics_desks",
    "statistics_of",
    "statistics_period",
    "statistics_request",
    "statistics_workbook",
    "update_consultation",
]
