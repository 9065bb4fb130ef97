"""How each organisation of the region uses Renkei (三戸町: 「情報共有ツールの活用状況に各関係機関で
差がある」), for a 年度. Counts per organisation only — no patient, post or document is shown.

Per organisation (an active organisation of the region, or of the municipality for its staff):

- **teams**: patients on whose care team a member of the organisation was at some time in the
  period (a membership records the organisation the member joined with);
- **posts**: timeline posts and replies written in the period by its members (by the author's
  present organisation: a post does not record the author's organisation at the time);
- **documents sent**: 入退院 documents its members sent to a hospital's 地域連携室 in the period;
  **documents received**: those sent in the period to a liaison of the organisation, and FHIR
  documents its members imported in the period;
- **至急 response**: for every 至急 post written in the period by someone of another organisation on a
  patient whose team the organisation was on at that moment, the time from the post to the first
  read or reply by a member of the organisation (whichever is first). ``urgent_received`` counts
  those posts, ``urgent_answered`` the ones read or replied to, and the median is over the answered
  ones (none when nothing was answered). Reads are recorded when a member opens the patient's
  timeline (``sharing.PostRead``).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone

from renkei.core import permissions
from renkei.core.fiscal import fiscal_year_label, fiscal_year_range
from renkei.core.models import User
from renkei.sharing.models import CareTeamMembership, Post, PostRead
from renkei.transitions.models import TransitionDocument


@dataclass(frozen=True)
class OrganizationUsage:
    name: str
    kind: str
    teams: int
    posts: int
    documents_sent: int
    documents_received: int
    urgent_received: int
    urgent_answered: int
    median_response_minutes: float | None

    @property
    def median_response(self) -> str:
        """``1時間05分`` (or ``—`` when nothing was answered)."""
        if self.median_response_minutes is None:
            return "—"
        hours, minutes = divmod(round(self.median_response_minutes), 60)
        return f"{hours}時間{minutes:02d}分"


@dataclass(frozen=True)
class Usage:
    fiscal_year: int
    scope: str
    rows: list[OrganizationUsage]

    @property
    def label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _counts(queryset, key: str) -> dict[int, int]:
    return dict(queryset.values_list(key).annotate(n=Count("pk", distinct=True)).order_by())


def _urgent(org_ids: list[int], start: datetime, end: datetime) -> dict[int, list[float | None]]:
    """Per organisation: one entry per 至急 post addressed to it — the minutes to its first read or
    reply, or None when it never answered."""
    posts = list(
        Post.objects.filter(urgent=True, created_at__gte=start, created_at__lt=end)
        .filter(patient__memberships__organization_id__in=org_ids)
        .distinct()
        .values_list("pk", "patient_id", "author__organization_id", "created_at")
    )
    ids = [post[0] for post in posts]
    teams = defaultdict(list)
    for patient_id, org_id, joined, left in CareTeamMembership.objects.filter(
        patient_id__in={post[1] for post in posts}, organization_id__in=org_ids
    ).values_list("patient_id", "organization_id", "joined_at", "left_at"):
        teams[patient_id].append((org_id, joined, left))
    first: dict[tuple[int, int], datetime] = {}
    answers = [
        *PostRead.objects.filter(post_id__in=ids).values_list("post_id", "user__organization_id", "read_at"),
        *Post.objects.filter(parent_id__in=ids).values_list(
            "parent_id", "author__organization_id", "created_at"
        ),
    ]
    for post_id, org_id, at in answers:
        key = (post_id, org_id)
        if org_id is not None and (key not in first or at < first[key]):
            first[key] = at
    minutes: dict[int, list[float | None]] = defaultdict(list)
    for pk, patient_id, author_org, created in posts:
        on_team = {
            org
            for org, joined, left in teams[patient_id]
            if joined <= created and (left is None or left > created)
        }
        for org_id in on_team - {author_org}:
            answered = first.get((pk, org_id))
            minutes[org_id].append(None if answered is None else (answered - created).total_seconds() / 60)
    return minutes


def usage_for(actor: User, fiscal_year: int) -> Usage:
    """The usage of the organisations the actor oversees (see the module's definitions)."""
    if not permissions.can_view_transition_indicators(actor):
        raise PermissionDenied
    organizations, scope = permissions.usage_organizations(actor)
    orgs = list(organizations.order_by("kind", "name", "pk"))
    org_ids = [org.pk for org in orgs]
    first_day, last_day = fiscal_year_range(fiscal_year)
    start, end = _moment(first_day), _moment(last_day + timedelta(days=1))
    memberships = CareTeamMembership.objects.filter(organization_id__in=org_ids, joined_at__lt=end).filter(
        Q(left_at=None) | Q(left_at__gte=start)
    )
    teams = dict(
        memberships.values_list("organization_id").annotate(n=Count("patient_id", distinct=True)).order_by()
    )
    posts = _counts(
        Post.objects.filter(author__organization_id__in=org_ids, created_at__gte=start, created_at__lt=end),
        "author__organization_id",
    )
    sent_in_period = TransitionDocument.objects.filter(sent_at__gte=start, sent_at__lt=end)
    sent = _counts(sent_in_period.filter(author__organization_id__in=org_ids), "author__organization_id")
    received = _counts(
        sent_in_period.filter(episode__liaison_user__organization_id__in=org_ids),
        "episode__liaison_user__organization_id",
    )
    imported = _counts(
        TransitionDocument.objects.filter(
            source=TransitionDocument.Source.FHIR,
            author__organization_id__in=org_ids,
            created_at__gte=start,
            created_at__lt=end,
        ),
        "author__organization_id",
    )
    urgent = _urgent(org_ids, start, end)
    rows = []
    for org in orgs:
        answered = [m for m in urgent.get(org.pk, []) if m is not None]
        rows.append(
            OrganizationUsage(
                org.name,
                org.get_kind_display(),
                teams.get(org.pk, 0),
                posts.get(org.pk, 0),
                sent.get(org.pk, 0),
                received.get(org.pk, 0) + imported.get(org.pk, 0),
                len(urgent.get(org.pk, [])),
                len(answered),
                round(statistics.median(answered), 1) if answered else None,
            )
        )
    return Usage(fiscal_year, scope, rows)


USAGE_HEADINGS = (
    "組織",
    "種別",
    "ケアチーム（利用者数）",
    "投稿・返信",
    "入退院の文書（送付）",
    "入退院の文書（受領・取込）",
    "至急の投稿（宛先として）",
    "うち既読・返信あり",
    "至急への反応時間の中央値（分）",
)


def usage_xlsx(usage: Usage) -> bytes:
    from renkei.core.spreadsheet import append_row, new_workbook, style_table, workbook_bytes

    workbook, sheet = new_workbook("組織別の活用状況")
    append_row(sheet, USAGE_HEADINGS)
    for row in usage.rows:
        append_row(
            sheet,
            [row.name, row.kind, row.teams, row.posts, row.documents_sent, row.documents_received,
             row.urgent_received, row.urgent_answered, row.median_response_minutes],
        )  # fmt: skip
    counts = ("teams", "posts", "documents_sent", "documents_received", "urgent_received", "urgent_answered")
    append_row(sheet, ["合計", "", *(sum(getattr(row, name) for row in usage.rows) for name in counts), None])
    style_table(sheet, 1, len(usage.rows) + 2, len(USAGE_HEADINGS))
    sheet.column_dimensions["A"].width = 30
    return workbook_bytes(workbook)
