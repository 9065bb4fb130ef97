"""Freshness of the directory (定期的な情報更新): update links, review of sensitive changes, history,
reminders and the figures of the dashboard. Views, the command and the benchmark call these."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Case, Count, F, Max, Q, Sum, When
from django.urls import reverse
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import Municipality, Organization, Region
from renkei.directory.catalog import CAPABILITIES, AcceptanceStatus, Category, FacilityStatus
from renkei.directory.models import (
    ChangeRequest,
    Facility,
    FacilityContact,
    FreshnessPolicy,
    ReminderDelivery,
    UpdateLink,
)

logger = logging.getLogger(__name__)

LINK_SALT = "renkei.directory.update-link"
LINK_DAYS = 30
RATE_LIMIT = 30  # uses of one link, and requests from one address, per window
RATE_WINDOW_SECONDS = 600
RATE_MESSAGE = (
    "短い時間に何度も開かれたため、このリンクは一時的に使えません。10分ほどしてからもう一度開いてください。"
)
CLAIM_TIMEOUT = timedelta(minutes=15)

# Changes to these wait for the municipality's review; everything else a link may edit publishes at once.
REVIEWED_FIELDS = [
    "name",
    "name_kana",
    "category",
    "postal_code",
    "address",
    "care_office_number",
    "medical_institution_id",
    "corporate_number",
    "status",
]
IMMEDIATE_FIELDS = [
    "phone",
    "fax",
    "url",
    "opening_hours",
    "capacity",
    "description",
    *[capability.field for capability in CAPABILITIES],
    "acceptance_status",
    "acceptance_note",
    "direct_phone",
    "liaison_contact",
]


class LinkError(Exception):
    """A link that cannot be used; the message is for the person who opened it (Japanese)."""


class RateLimited(LinkError):
    pass


# --- policy and state ----------------------------------------------------------------------------


def policy_for(region: Region | None) -> FreshnessPolicy:
    """The region's policy, or the defaults (unsaved) when it has none."""
    if region is not None:
        policy = FreshnessPolicy.objects.filter(region=region).first()
        if policy is not None:
            return policy
    return FreshnessPolicy(region=region)


def _policies(region_ids: set[int]) -> dict[int | None, FreshnessPolicy]:
    found = {p.region_id: p for p in FreshnessPolicy.objects.filter(region_id__in=region_ids)}
    return {rid: found.get(rid) or FreshnessPolicy() for rid in region_ids | {None}}


def freshness_state(facility: Facility, policy: FreshnessPolicy, now: datetime) -> str:
    """ "missing" (not in the official data any more), "never", "overdue" or "fresh"."""
    if facility.missing_from_source_at is not None and facility.status != FacilityStatus.CLOSED:
        return "missing"
    if facility.verified_at is None:
        return "never"
    if facility.verified_at < now - timedelta(days=policy.fresh_days):
        return "overdue"
    return "fresh"


def annotate_freshness(facilities, now: datetime | None = None) -> None:
    """Set ``freshness`` on each facility (its municipality loaded) for the templates."""
    now = now or timezone.now()
    policies = _policies({f.municipality.region_id for f in facilities})
    for facility in facilities:
        facility.freshness = freshness_state(facility, policies[facility.municipality.region_id], now)


def save_policy(region: Region, user, values: dict[str, Any]) -> FreshnessPolicy:
    if not permissions.can_edit_freshness_policy(user, region):
        raise PermissionError("この圏域の設定を変更する権限がありません。")
    policy, _ = FreshnessPolicy.objects.update_or_create(region=region, defaults=values)
    return policy


# --- update links ----------------------------------------------------------------------------------


def link_token(link: UpdateLink) -> str:
    return signing.dumps(link.pk, salt=LINK_SALT, compress=False)


def link_url(link: UpdateLink) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("directory:update", args=[link_token(link)])


def issue_link(facility: Facility, email: str, *, now: datetime | None = None) -> UpdateLink:
    now = now or timezone.now()
    return UpdateLink.objects.create(
        facility=facility, email=email, issued_at=now, expires_at=now + timedelta(days=LINK_DAYS)
    )


def revoke_link(link: UpdateLink, *, now: datetime | None = None) -> None:
    UpdateLink.objects.filter(pk=link.pk, revoked_at=None).update(revoked_at=now or timezone.now())


def active_links(facility: Facility, *, now: datetime | None = None) -> list[UpdateLink]:
    """The facility's links that still work (not revoked, not expired), newest first."""
    return list(
        UpdateLink.objects.filter(
            facility=facility, revoked_at=None, expires_at__gt=now or timezone.now()
        ).order_by("-issued_at", "-id")
    )


def _hit(key: str) -> int:
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        return 1


def check_address_rate(address: str | None) -> None:
    """Raise :class:`RateLimited` when one address opens links too often (tampered ones included)."""
    if address and _hit(f"directory:link-ip:{address}") > RATE_LIMIT * 3:
        raise RateLimited(RATE_MESSAGE)


def count_use(link: UpdateLink, now: datetime | None = None) -> None:
    """Count one use of the link in the database (shared by every worker); raise
    :class:`RateLimited` past :data:`RATE_LIMIT` uses within the window."""
    now = now or timezone.now()
    window_start = now - timedelta(seconds=RATE_WINDOW_SECONDS)
    counted = UpdateLink.objects.filter(pk=link.pk, window_started_at__gte=window_start).update(
        window_uses=F("window_uses") + 1
    )
    if not counted:
        UpdateLink.objects.filter(pk=link.pk).update(window_started_at=now, window_uses=1)
        return
    if UpdateLink.objects.values_list("window_uses", flat=True).get(pk=link.pk) > RATE_LIMIT:
        raise RateLimited(RATE_MESSAGE)


def resolve_link(token: str, *, now: datetime | None = None) -> UpdateLink:
    """The link a token names, when it may be used now; else :class:`LinkError`."""
    now = now or timezone.now()
    try:
        pk = signing.loads(token, salt=LINK_SALT, max_age=timedelta(days=LINK_DAYS + 1))
    except signing.SignatureExpired as exc:
        raise LinkError(
            "このリンクは有効期限が切れています。市町村の担当窓口に新しいリンクを依頼してください。"
        ) from exc
    except signing.BadSignature as exc:
        raise LinkError(
            "このリンクは正しくありません。メールに記載されたアドレスを省略せずに開いてください。"
        ) from exc
    link = UpdateLink.objects.select_related("facility__municipality").filter(pk=pk).first()
    if link is None or link.revoked_at is not None:
        raise LinkError("このリンクは無効になっています。市町村の担当窓口に新しいリンクを依頼してください。")
    if link.expires_at <= now:
        raise LinkError(
            "このリンクは有効期限が切れています。市町村の担当窓口に新しいリンクを依頼してください。"
        )
    return link


def _touch(link: UpdateLink, now: datetime) -> None:
    UpdateLink.objects.filter(pk=link.pk).update(last_used_at=now)


def _save_version(facility: Facility, reason: str, user=None) -> None:
    facility.set_search_fields()
    facility._change_reason = reason
    if user is not None:
        facility._history_user = user
    facility.save()


def _confirm(facility_id: int, *, via: str, reason: str, user, now: datetime) -> Facility:
    facility = Facility.objects.select_for_update().get(pk=facility_id)
    facility.verified_at = now
    facility.verified_by = user
    facility.verified_via = via
    if facility.acceptance_status != AcceptanceStatus.UNKNOWN:
        facility.acceptance_stated_at = timezone.localdate(now)
    _save_version(facility, reason, user)
    return facility


@transaction.atomic
def confirm_unchanged(link: UpdateLink, *, now: datetime | None = None) -> Facility:
    """「変更なし」 through a link: the entry (and its acceptance status) confirmed as it stands."""
    now = now or timezone.now()
    facility = _confirm(
        link.facility_id,
        via="link",
        reason=f"更新用リンク（{link.email}）: 変更なしを確認",
        user=None,
        now=now,
    )
    _touch(link, now)
    return facility


@transaction.atomic
def confirm_unchanged_by_account(facility: Facility, user, *, now: datetime | None = None) -> Facility:
    """「変更なし」 by the facility's own staff, logged in."""
    if not permissions.can_update_own_facility(user, facility):
        raise PermissionError("この施設の掲載情報を確認する権限がありません。")
    return _confirm(
        facility.pk, via="account", reason="施設の職員: 変更なしを確認", user=user, now=now or timezone.now()
    )


@dataclass
class LinkEditResult:
    facility: Facility
    published: list[str] = field(default_factory=list)
    change_request: ChangeRequest | None = None


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


@transaction.atomic
def apply_link_edit(link: UpdateLink, data: dict[str, Any], *, now: datetime | None = None) -> LinkEditResult:
    """An edit through a link: immediate fields publish now (and count as a confirmation); reviewed
    fields that changed become one pending :class:`ChangeRequest`. Only the link's own facility."""
    now = now or timezone.now()
    result = _apply_edit(link.facility_id, data, email=link.email, user=None, now=now)
    _touch(link, now)
    return result


@transaction.atomic
def apply_account_edit(facility: Facility, user, data: dict[str, Any], *, now: datetime | None = None):
    """The same edit by the facility's own staff after login (recorded with their account)."""
    if not permissions.can_update_own_facility(user, facility):
        raise PermissionError("この施設の掲載情報を更新する権限がありません。")
    return _apply_edit(facility.pk, data, email="", user=user, now=now or timezone.now())


def _apply_edit(facility_id: int, data: dict[str, Any], *, email: str, user, now: datetime) -> LinkEditResult:
    facility = Facility.objects.select_for_update().select_related("municipality").get(pk=facility_id)
    result = LinkEditResult(facility=facility)
    for name in IMMEDIATE_FIELDS:
        if name in data and getattr(facility, name) != data[name]:
            setattr(facility, name, data[name])
            result.published.append(name)
    if facility.acceptance_status != AcceptanceStatus.UNKNOWN:
        facility.acceptance_stated_at = timezone.localdate(now)
    proposed = {
        name: _json_value(data[name])
        for name in REVIEWED_FIELDS
        if name in data and getattr(facility, name) != data[name]
    }
    if proposed:
        result.change_request = ChangeRequest.objects.create(
            facility=facility,
            proposed=proposed,
            previous={name: _json_value(getattr(facility, name)) for name in proposed},
            submitted_email=email,
            submitted_by=user,
        )
    facility.verified_at = now
    facility.verified_by = user
    facility.verified_via = "link" if user is None else "account"
    _save_version(facility, f"更新用リンク（{email}）で更新" if user is None else "施設の職員が更新", user)
    return result


def facility_accounts(facility: Facility) -> dict[str, Any]:
    """For staff: the organisation linked to the facility and the active accounts that may keep
    its entry current after login (names only)."""
    if facility.organization_id is None:
        return {"organization": None, "members": []}
    organization = Organization.objects.select_related("municipality").get(pk=facility.organization_id)
    members = list(organization.members.filter(is_active=True).order_by("full_name_kana", "full_name", "id"))
    return {"organization": organization, "members": [m.full_name or m.get_username() for m in members]}


# --- review ----------------------------------------------------------------------------------------


def field_label(name: str) -> str:
    return str(Facility._meta.get_field(name).verbose_name)


def display_value(name: str, value: Any) -> str:
    if value in (None, ""):
        return "（なし）"
    if name == "category":
        return str(Category(value).label) if value in Category.values else str(value)
    if name == "status":
        return str(FacilityStatus(value).label) if value in FacilityStatus.values else str(value)
    return str(value)


def diff_rows(change: ChangeRequest) -> list[dict[str, str]]:
    current = change.facility
    return [
        {
            "field": name,
            "label": field_label(name),
            "previous": display_value(name, change.previous.get(name)),
            "current": display_value(name, getattr(current, name)),
            "proposed": display_value(name, value),
            "edit": "" if value is None else str(value),
        }
        for name, value in change.proposed.items()
    ]


def pending_changes(user):
    return (
        ChangeRequest.objects.filter(
            status=ChangeRequest.Status.PENDING,
            facility__municipality__in=permissions.managed_municipalities(user),
        )
        .select_related("facility__municipality")
        .order_by("created_at", "id")
    )


class ReviewError(Exception):
    pass


CODE_FIELDS = ("care_office_number", "medical_institution_id", "local_code")


def _check_codes(values: dict[str, Any], facility_id: int) -> None:
    """Official codes are unique: refuse (in Japanese) a value another facility already holds."""
    for name in CODE_FIELDS:
        if (
            values.get(name)
            and Facility.objects.exclude(pk=facility_id).filter(**{name: values[name]}).exists()
        ):
            raise ReviewError(f"{field_label(name)}「{values[name]}」は別の施設に登録されています。")


def _validate_reviewed(facility: Facility, names: list[str]) -> None:
    """The model's own field checks (length, choices, format) on the fields a review sets, and the
    official codes' formats; every problem in one Japanese :class:`ReviewError`."""
    problems: list[str] = []
    try:
        facility.full_clean(
            exclude=[f.name for f in Facility._meta.concrete_fields if f.name not in names],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            label = field_label(name) if name in names else ""
            problems.extend(f"{label}: {message}" if label else message for message in messages)
    number = facility.care_office_number if "care_office_number" in names else None
    if number and (len(number) != 10 or not number.isdigit()):
        problems.append(f"{field_label('care_office_number')}: 10桁の数字で入力してください。")
    number = facility.corporate_number if "corporate_number" in names else ""
    if number and (len(number) != 13 or not number.isdigit()):
        problems.append(f"{field_label('corporate_number')}: 13桁の数字で入力してください。")
    if problems:
        raise ReviewError("\n".join(dict.fromkeys(problems)))


@transaction.atomic
def approve_change(
    change: ChangeRequest, reviewer, *, edited: dict[str, Any] | None = None, now: datetime | None = None
) -> Facility:
    """Publish a pending change (optionally as edited by the reviewer)."""
    now = now or timezone.now()
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not permissions.can_review_facility_change(reviewer, change):
        raise PermissionError("この申請を確認する権限がありません。")
    if change.status != ChangeRequest.Status.PENDING:
        raise ReviewError("この申請はすでに処理されています。")
    values = {**change.proposed, **(edited or {})}
    if "name" in values and not str(values["name"]).strip():
        raise ReviewError("名称は空にできません。")
    facility = Facility.objects.select_for_update().select_related("municipality").get(pk=change.facility_id)
    names = [name for name in values if name in REVIEWED_FIELDS]
    for name in names:
        value = values[name]
        setattr(facility, name, value if value != "" or not Facility._meta.get_field(name).null else None)
    _validate_reviewed(facility, names)
    _check_codes({name: getattr(facility, name) for name in names}, change.facility_id)
    facility.verified_at = now
    facility.verified_by = reviewer
    facility.verified_via = "review"
    _save_version(facility, f"変更申請 #{change.pk} を承認", reviewer)
    change.status = ChangeRequest.Status.APPROVED
    change.reviewer = reviewer
    change.reviewed_at = now
    if edited:
        change.proposed = {name: _json_value(value) for name, value in values.items()}
    change.save()
    return facility


def reject_change(change: ChangeRequest, reviewer, reason: str, *, now: datetime | None = None) -> bool:
    """Reject with a reason, then e-mail the reason to the address that sent the change. The
    rejection stands even when the mail fails (it is the reviewer's decision, and the submitter
    must not see the change published meanwhile); the result says whether the mail went out, so
    that the reviewer can tell the facility another way."""
    reason = reason.strip()
    if not reason:
        raise ReviewError("却下の理由を入力してください。")
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().select_related("facility").get(pk=change.pk)
        if not permissions.can_review_facility_change(reviewer, change):
            raise PermissionError("この申請を確認する権限がありません。")
        if change.status != ChangeRequest.Status.PENDING:
            raise ReviewError("この申請はすでに処理されています。")
        change.status = ChangeRequest.Status.REJECTED
        change.reviewer = reviewer
        change.reviewed_at = now or timezone.now()
        change.reason = reason
        change.save()
    to = change.submitted_email or (change.submitted_by.email if change.submitted_by_id else "")
    if not to:
        return False
    name = change.facility.name
    body = (
        f"{name} ご担当者様\n\n"
        "Renkei の医療・介護資源マップに送っていただいた掲載情報の変更は、市町村の確認の結果、"
        "反映されませんでした。\n\n"
        f"理由:\n{reason}\n\n"
        "ご不明な点は市町村の在宅医療・介護連携の担当窓口にお問い合わせください。\n"
    )
    try:
        EmailMessage(f"【Renkei】掲載情報の変更について（{name}）", body, to=[to]).send()
    except Exception as exc:
        logger.warning("rejection of change %s not mailed: %s", change.pk, type(exc).__name__)
        return False
    return True


# --- history ---------------------------------------------------------------------------------------

HISTORY_SKIP = {"id", "created_at", "source_file", "source_row", "imported_at"}


def history_versions(facility: Facility, limit: int = 100) -> list[dict[str, Any]]:
    """Newest first: who, when, why, and what changed from the version before."""
    records = list(
        facility.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    versions = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            delta = record.diff_against(older)
            changes = [
                {
                    "label": field_label(change.field),
                    "old": display_value(change.field, change.old),
                    "new": display_value(change.field, change.new),
                }
                for change in delta.changes
                if change.field not in HISTORY_SKIP
            ]
        versions.append({"record": record, "changes": changes, "is_current": index == 0})
    return versions


@transaction.atomic
def restore_version(facility: Facility, history_id: int, user) -> Facility:
    """Bring back an earlier version; the restore is itself a new version."""
    if not permissions.can_restore_facility_version(user, facility):
        raise PermissionError("この施設の履歴を復元する権限がありません。")
    record = facility.history.filter(history_id=history_id).first()
    if record is None:
        raise ReviewError("指定された版が見つかりません。")
    restored = record.instance
    current = Facility.objects.select_for_update().get(pk=facility.pk)
    mark = current.missing_from_source_at
    _check_codes({name: getattr(restored, name) for name in CODE_FIELDS}, facility.pk)
    for field_ in Facility.history.model._meta.concrete_fields:
        name = field_.attname
        if name.startswith("history_") or name in HISTORY_SKIP:
            continue
        if hasattr(current, name):
            setattr(current, name, getattr(restored, name))
    # The restore is staff's confirmation of the content; the import's mark stays as it is.
    current.missing_from_source_at = mark
    current.verified_at = timezone.now()
    current.verified_by = user
    current.verified_via = "restore"
    local = timezone.localtime(record.history_date)
    _save_version(current, f"{local:%Y-%m-%d %H:%M} の版を復元", user)
    return current


# --- reminders -------------------------------------------------------------------------------------


@dataclass
class DueReminder:
    contact_id: int
    facility_id: int
    kind: str
    due_date: date
    offset_days: int
    email: str = ""
    facility_name: str = ""


@dataclass
class ReminderRun:
    due: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    bounced: int = 0  # contacts the mail server refused for good
    mails: int = 0


def _latest_offset(offsets: list[int], elapsed_days: int) -> int | None:
    """The last reminder time reached ``elapsed_days`` after the due date (offsets sorted)."""
    reached = None
    for offset in offsets:
        if offset > elapsed_days:
            break
        reached = offset
    return reached


def due_reminders(now: datetime | None = None) -> list[DueReminder]:
    """Every reminder that should have gone out by ``now`` (sent or not).

    One scan of the contacts for the whole country (each facility's region policy applied in
    Python), reading only keys and dates — no names, no addresses."""
    today = timezone.localdate(now or timezone.now())
    region_of = dict(Municipality.objects.values_list("id", "region_id"))
    policies = _policies({rid for rid in region_of.values() if rid is not None})
    policy_of = {mid: policies.get(rid) or policies[None] for mid, rid in region_of.items()}
    used = list({id(p): p for p in policy_of.values()}.values()) or [FreshnessPolicy()]
    entry = {mid: (timedelta(days=p.fresh_days), p.offsets) for mid, p in policy_of.items()}
    acceptance = {
        mid: (timedelta(days=p.acceptance_fresh_days), p.acceptance_offsets) for mid, p in policy_of.items()
    }
    contacts = FacilityContact.objects.filter(is_active=True, bounced_at=None).exclude(
        facility__status=FacilityStatus.CLOSED
    )
    tz = timezone.get_current_timezone()
    found: list[DueReminder] = []
    # The entry as a whole: due fresh_days after the last confirmation (or after it was listed).
    earliest = min(p.fresh_days + p.offsets[0] for p in used)
    cutoff = today - timedelta(days=earliest)
    cutoff_at = timezone.make_aware(datetime.combine(cutoff + timedelta(days=1), datetime.min.time()))
    rows = contacts.filter(
        Q(facility__verified_at__lt=cutoff_at)
        | Q(facility__verified_at=None, facility__created_at__lt=cutoff_at)
    ).values_list(
        "id", "facility_id", "facility__municipality_id", "facility__verified_at", "facility__created_at"
    )
    for contact_id, facility_id, municipality_id, verified_at, created_at in rows.iterator(chunk_size=10000):
        period, offsets = entry[municipality_id]
        due = (verified_at or created_at).astimezone(tz).date() + period
        offset = _latest_offset(offsets, (today - due).days)
        if offset is not None:
            found.append(DueReminder(contact_id, facility_id, "entry", due, offset))
    # Acceptance status: a shorter cycle, counted from the date it was last stated.
    earliest = min(p.acceptance_fresh_days + p.acceptance_offsets[0] for p in used)
    rows = (
        contacts.exclude(facility__acceptance_status=AcceptanceStatus.UNKNOWN)
        .filter(facility__acceptance_stated_at__lte=today - timedelta(days=earliest))
        .values_list("id", "facility_id", "facility__municipality_id", "facility__acceptance_stated_at")
    )
    for contact_id, facility_id, municipality_id, stated in rows.iterator(chunk_size=10000):
        period, offsets = acceptance[municipality_id]
        due = stated + period
        offset = _latest_offset(offsets, (today - due).days)
        if offset is not None:
            found.append(DueReminder(contact_id, facility_id, "acceptance", due, offset))
    return found


def _due_text(reminder: DueReminder, today: date) -> str:
    due = f"{reminder.due_date.year}年{reminder.due_date.month}月{reminder.due_date.day}日"
    what = "受入状況" if reminder.kind == "acceptance" else "掲載情報"
    if reminder.due_date >= today:
        return f"{what}の確認の期限は{due}です。"
    return f"{what}の確認の期限（{due}）を過ぎています。"


def _reminder_text(reminders: list[DueReminder], url: str, today: date) -> tuple[str, str]:
    """One mail (with one link) for everything due to one contact: the entry, its acceptance status, or both."""
    reminders = sorted(reminders, key=lambda r: r.kind != "entry")
    name = reminders[0].facility_name
    what = "・".join(dict.fromkeys("受入状況" if r.kind == "acceptance" else "掲載情報" for r in reminders))
    when = "".join(_due_text(reminder, today) for reminder in reminders)
    subject = f"【Renkei】{what}のご確認のお願い（{name}）"
    body = (
        f"{name} ご担当者様\n\n"
        f"地域の医療・介護資源マップ（Renkei）に掲載している貴事業所の{what}のご確認をお願いします。{when}\n\n"
        "次のリンクから、変更がなければ「変更なし」を1回押すだけで確認が終わります。"
        "変更がある場合はその画面で修正してください（パスワードは不要です）。\n\n"
        f"{url}\n\n"
        f"このリンクは貴事業所の掲載情報専用で、{LINK_DAYS}日間有効です。他の方に転送しないでください。\n"
        "お心当たりのない場合は、このメールを破棄してください。\n"
    )
    return subject, body


def is_permanent_refusal(exc: Exception) -> bool:
    """True when the mail server refused the recipient for good (every address answered 5xx): that
    address will never work, unlike a server that is down or busy (4xx, connection errors)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        return all(500 <= code < 600 for code, _message in exc.recipients.values())
    return False


def revoke_contact_links(contact: FacilityContact, *, now: datetime | None = None) -> int:
    """Revoke every link sent to this contact of the facility (removed, bounced)."""
    return UpdateLink.objects.filter(
        facility_id=contact.facility_id, email=contact.email, revoked_at=None
    ).update(revoked_at=now or timezone.now())


def mark_bounced(contact: FacilityContact, *, now: datetime | None = None) -> None:
    """The address does not receive mail: no more reminders to it, and its links stop working."""
    now = now or timezone.now()
    with transaction.atomic():
        FacilityContact.objects.filter(pk=contact.pk).update(bounced_at=now)
        revoke_contact_links(contact, now=now)


def remove_contact(contact: FacilityContact, *, now: datetime | None = None) -> None:
    """Staff take the address off the list: no more reminders to it, and its links stop working."""
    with transaction.atomic():
        FacilityContact.objects.filter(pk=contact.pk).update(is_active=False)
        revoke_contact_links(contact, now=now)


def reactivate_contact(contact: FacilityContact) -> None:
    """Staff register the address again: it receives reminders again, including those it refused."""
    with transaction.atomic():
        FacilityContact.objects.filter(pk=contact.pk).update(is_active=True, bounced_at=None)
        ReminderDelivery.objects.filter(contact=contact, sent_at=None).update(failed_at=None)


def send_reminders(now: datetime | None = None, *, dry_run: bool = False) -> ReminderRun:
    """Send every due reminder not sent yet. Safe to run as often as wanted: each reminder is a
    unique row, claimed before sending; a failing mail server leaves it unsent for the next run.
    An address the server refuses for good is marked bounced and the run goes on with the others.
    A contact due two reminders (entry and acceptance status) gets one mail with one link."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = ReminderRun()
    due = due_reminders(now)
    if not due:
        return run
    keys = {(d.contact_id, d.kind, d.due_date, d.offset_days): d for d in due}

    def recorded(contact_ids: list[int]) -> dict[tuple, tuple[int, bool]]:
        """Key → (delivery id, done): done when sent, or refused for good."""
        rows: dict[tuple, tuple[int, bool]] = {}
        for start in range(0, len(contact_ids), 2000):
            for pk, *key, sent_at, failed_at in ReminderDelivery.objects.filter(
                contact_id__in=contact_ids[start : start + 2000]
            ).values_list("id", "contact_id", "kind", "due_date", "offset_days", "sent_at", "failed_at"):
                if tuple(key) in keys:
                    rows[tuple(key)] = (pk, sent_at is not None or failed_at is not None)
        return rows

    # Most of what is due was sent by an earlier run: read those, create only the new rows.
    existing = recorded(sorted({d.contact_id for d in due}))
    run.due = sum(1 for key in keys if not existing.get(key, (0, False))[1])
    if dry_run or not run.due:
        return run
    new = [d for key, d in keys.items() if key not in existing]
    for start in range(0, len(new), 2000):
        ReminderDelivery.objects.bulk_create(
            [
                ReminderDelivery(
                    contact_id=d.contact_id,
                    facility_id=d.facility_id,
                    kind=d.kind,
                    due_date=d.due_date,
                    offset_days=d.offset_days,
                )
                for d in new[start : start + 2000]
            ],
            ignore_conflicts=True,  # another run may have created the same row meanwhile
        )
    if new:
        existing.update(recorded(sorted({d.contact_id for d in new})))
    by_contact: dict[int, list[tuple[int, tuple]]] = {}
    for key, (pk, done) in sorted(existing.items(), key=lambda item: item[1][0]):
        if not done:
            by_contact.setdefault(key[0], []).append((pk, key))
    # Addresses and names only now, for what is actually to be sent.
    wanted = sorted(by_contact)
    addresses: dict[int, tuple[str, str]] = {}
    for start in range(0, len(wanted), 2000):
        addresses.update(
            (contact_id, (email, name))
            for contact_id, email, name in FacilityContact.objects.filter(
                id__in=wanted[start : start + 2000]
            ).values_list("id", "email", "facility__name")
        )
    connection = get_connection()
    for contact_id in sorted(by_contact, key=lambda cid: by_contact[cid][0][0]):
        claimed: list[int] = []
        reminders: list[DueReminder] = []
        for delivery_id, key in by_contact[contact_id]:
            if (
                ReminderDelivery.objects.filter(pk=delivery_id, sent_at=None, failed_at=None)
                .filter(Q(claimed_at=None) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
                .update(claimed_at=now, attempts=F("attempts") + 1)
            ):
                claimed.append(delivery_id)
                reminders.append(keys[key])
            else:
                run.skipped += 1
        if not claimed:
            continue
        email, facility_name = addresses[contact_id]
        for reminder in reminders:
            reminder.email, reminder.facility_name = email, facility_name
        link = issue_link(Facility(pk=reminders[0].facility_id), email, now=now)
        subject, body = _reminder_text(reminders, link_url(link), today)
        try:
            EmailMessage(subject, body, to=[email], connection=connection).send()
        except Exception as exc:
            error = type(exc).__name__[:200]
            run.failed += len(claimed)
            revoke_link(link, now=now)
            if is_permanent_refusal(exc):
                # This address will never work: record it on its rows and on the contact, go on.
                logger.warning("reminders %s refused for good: %s", claimed, error)
                ReminderDelivery.objects.filter(pk__in=claimed).update(
                    claimed_at=None, failed_at=now, last_error=error
                )
                mark_bounced(
                    FacilityContact(pk=contact_id, facility_id=reminders[0].facility_id, email=email), now=now
                )
                run.bounced += 1
                continue
            logger.warning("reminders %s not sent: %s", claimed, error)
            ReminderDelivery.objects.filter(pk__in=claimed).update(claimed_at=None, last_error=error)
            # The server is down or busy: stop here, the rest stays queued for the next run.
            break
        ReminderDelivery.objects.filter(pk__in=claimed).update(sent_at=now)
        run.sent += len(claimed)
        run.mails += 1
    return run


class MailNotSent(Exception):
    """A mail staff asked for could not be sent; the message is for them (Japanese)."""


def send_link_now(
    facility: Facility, contact: FacilityContact, user, *, now: datetime | None = None
) -> UpdateLink:
    """Staff's one-click 「リンクを再送」. When the mail cannot be sent the link is not kept
    (:class:`MailNotSent`); an address refused for good is marked bounced."""
    if not permissions.can_send_facility_update_link(user, facility):
        raise PermissionError("この施設にリンクを送る権限がありません。")
    if contact.facility_id != facility.pk:
        raise PermissionError("この施設の連絡先ではありません。")
    now = now or timezone.now()
    today = timezone.localdate(now)
    # No transaction around the mail (SQLite would hold its write lock while the server answers):
    # a link whose mail fails is revoked at once, so it never works.
    link = issue_link(facility, contact.email, now=now)
    reminder = DueReminder(contact.pk, facility.pk, "entry", today, 0, contact.email, facility.name)
    subject, body = _reminder_text([reminder], link_url(link), today)
    try:
        EmailMessage(subject.replace("のお願い", "のお願い（再送）"), body, to=[contact.email]).send()
    except Exception as exc:
        revoke_link(link, now=now)
        logger.warning("update link for facility %s not sent: %s", facility.pk, type(exc).__name__)
        if is_permanent_refusal(exc):
            mark_bounced(contact, now=now)
            raise MailNotSent(
                f"{contact.email} はメールサーバーに受け取りを拒否されたため、不達として記録しました。"
                "送ろうとしたリンクは無効にしました。"
            ) from exc
        raise MailNotSent(
            f"{contact.email} にメールを送れませんでした（メールサーバーに接続できません）。"
            "送ろうとしたリンクは無効にしました。しばらくしてからもう一度お試しください。"
        ) from exc
    return link


# --- dashboard -------------------------------------------------------------------------------------


def _month_starts(today: date, months: int) -> list[date]:
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


@dataclass
class Dashboard:
    policy: FreshnessPolicy
    municipalities: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    totals: dict[str, int]
    overdue: list[Facility]
    overdue_count: int
    never: list[Facility]
    missing: list[Facility]
    bounced: list[FacilityContact]
    trend: list[dict[str, Any]]
    pending_reviews: int


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def overdue_queryset(municipalities, policy: FreshnessPolicy, now: datetime):
    cutoff = now - timedelta(days=policy.fresh_days)
    return (
        Facility.objects.filter(municipality__in=municipalities, verified_at__lt=cutoff)
        .exclude(status=FacilityStatus.CLOSED)
        .select_related("municipality")
        .order_by("verified_at", "id")
    )


def oldest_overdue(municipalities, policy: FreshnessPolicy, now: datetime, limit: int) -> list[Facility]:
    """The ``limit`` oldest overdue entries: the oldest few of each municipality (each an ordered walk
    of the (municipality, verified_at) index), merged."""
    cutoff = now - timedelta(days=policy.fresh_days)
    found: list[Facility] = []
    for municipality in municipalities:
        found.extend(
            Facility.objects.filter(municipality=municipality, verified_at__lt=cutoff)
            .exclude(status=FacilityStatus.CLOSED)
            .select_related("municipality")
            .order_by("verified_at", "id")[:limit]
        )
    return sorted(found, key=lambda facility: (facility.verified_at, facility.pk))[:limit]


def dashboard(user, *, now: datetime | None = None, list_limit: int = 50) -> Dashboard:
    """The figures for the municipalities ``user`` manages, with aggregate queries only."""
    now = now or timezone.now()
    municipalities = list(permissions.freshness_municipalities(user).order_by("code"))
    policy = policy_for(permissions.home_region(user))
    cutoff = now - timedelta(days=policy.fresh_days)
    base = Facility.objects.filter(municipality__in=municipalities).exclude(status=FacilityStatus.CLOSED)
    # Trend: for each of the last 12 months, the share of entries confirmed within the period as of
    # the month's end (for this month: as of now). An entry was fresh at a moment T when one of its
    # versions in the history carries a confirmation in [T - fresh_days, T). Later confirmations
    # add versions and never change past months. The entries counted are today's listed ones that
    # existed at T (created before it); closed ones are left out as everywhere on this page.
    months = _month_starts(timezone.localdate(now), 12)
    ends = [timezone.make_aware(datetime.combine(month, datetime.min.time())) for month in months[1:]]
    ends.append(now + timedelta(microseconds=1))
    fresh_for = timedelta(days=policy.fresh_days)
    starts = [end - fresh_for for end in ends[:-1]] + [cutoff]
    counts = dict(
        total=Count("id"),
        fresh=Count("id", filter=Q(verified_at__gte=cutoff)),
        overdue=Count("id", filter=Q(verified_at__lt=cutoff)),
        never=Count("id", filter=Q(verified_at=None)),
        missing=Count("id", filter=Q(missing_from_source_at__isnull=False)),
        **{f"m{index}": Count("id", filter=Q(created_at__lt=end)) for index, end in enumerate(ends)},
    )
    # One query over the history: per listed entry (its versions come in id order from the index,
    # so the grouping needs no sort) whether it had a confirmation in each window, then summed.
    flags = {
        f"f{index}": Max(
            Case(When(verified_at__gte=starts[index], verified_at__lt=ends[index], then=1), default=0)
        )
        for index in range(len(months))
    }
    confirmed = (
        Facility.history.model.objects.filter(
            id__in=base.values("id"), verified_at__gte=min(starts), verified_at__lt=ends[-1]
        )
        .order_by()
        .values("id")
        .annotate(**flags)
        .aggregate(**{f"m{index}": Sum(f"f{index}") for index in range(len(months))})
    )

    # One scan, grouped by municipality and category; both tables are rolled up from it.
    keys = ("total", "fresh", "overdue", "never", "missing")
    by_municipality: dict[int, dict[str, int]] = {}
    by_category: dict[str, dict[str, int]] = {}
    listed_per_month = [0] * len(months)
    for row in base.values("municipality_id", "category").annotate(**counts).order_by():
        for bucket in (
            by_municipality.setdefault(row["municipality_id"], dict.fromkeys(keys, 0)),
            by_category.setdefault(row["category"], dict.fromkeys(keys, 0)),
        ):
            for key in keys:
                bucket[key] += row[key]
        for index in range(len(months)):
            listed_per_month[index] += row[f"m{index}"]
    names = dict(Category.choices)
    municipality_rows = []
    totals = {"total": 0, "fresh": 0, "overdue": 0, "never": 0, "missing": 0}
    for municipality in municipalities:
        row = by_municipality.get(municipality.pk, {key: 0 for key in totals})
        for key in totals:
            totals[key] += row[key]
        municipality_rows.append(
            {
                "municipality": municipality,
                **{k: row[k] for k in totals},
                "share": _share(row["fresh"], row["total"]),
            }
        )
    totals["share"] = _share(totals["fresh"], totals["total"])
    category_rows = [
        {"category": category, "label": names.get(category, category), **row,
         "share": _share(row["fresh"], row["total"])}
        for category, row in sorted(by_category.items())
    ]  # fmt: skip
    listed = base.select_related("municipality")
    overdue = oldest_overdue(municipalities, policy, now, list_limit) if totals["overdue"] else []
    never = list(listed.filter(verified_at=None).order_by("id")[:list_limit]) if totals["never"] else []
    missing = (
        list(
            listed.filter(missing_from_source_at__isnull=False).order_by("missing_from_source_at", "id")[
                :list_limit
            ]
        )
        if totals["missing"]
        else []
    )
    bounced = (
        FacilityContact.objects.filter(bounced_at__isnull=False, facility__municipality__in=municipalities)
        .select_related("facility__municipality")
        .order_by("-bounced_at")
    )
    trend = []
    for index, month in enumerate(months):
        listed, fresh = listed_per_month[index], confirmed[f"m{index}"] or 0
        share = _share(fresh, listed) if listed else None
        height = round(120 * share / 100) if share else 0
        trend.append(
            {"label": f"{month.month}月", "year": month.year, "month": month.month, "share": share,
             "fresh": fresh, "listed": listed, "x": 40 + index * 50, "y": 150 - height, "height": height}
        )  # fmt: skip
    return Dashboard(
        policy=policy,
        municipalities=municipality_rows,
        categories=category_rows,
        totals=totals,
        overdue=overdue,
        overdue_count=totals["overdue"],
        never=never,
        missing=missing,
        bounced=list(bounced[:list_limit]),
        trend=trend,
        pending_reviews=pending_changes(user).count(),
    )


def overdue_workbook(user, *, now: datetime | None = None):
    """The overdue and never-confirmed entries as an Excel workbook, oldest first, for phoning."""
    from openpyxl import Workbook

    now = now or timezone.now()
    municipalities = list(permissions.freshness_municipalities(user))
    policy = policy_for(permissions.home_region(user))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "要確認"
    sheet.append(["市町村", "名称", "種別", "電話番号", "所在地", "最終確認日", "状態"])
    never = (
        Facility.objects.filter(municipality__in=municipalities, verified_at=None)
        .exclude(status=FacilityStatus.CLOSED)
        .select_related("municipality")
        .order_by("municipality__code", "id")
    )
    for facility in [*never.iterator(), *overdue_queryset(municipalities, policy, now).iterator()]:
        sheet.append(
            [
                facility.municipality.name,
                facility.name,
                facility.get_category_display(),
                facility.phone,
                facility.address,
                timezone.localdate(facility.verified_at) if facility.verified_at else "未確認",
                "公表データに無し" if facility.missing_from_source_at else "",
            ]
        )
    for column, width in zip("ABCDEFG", (12, 36, 22, 16, 40, 14, 16), strict=True):
        sheet.column_dimensions[column].width = width
    return workbook
