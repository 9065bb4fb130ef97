"""出前講座 requests from residents' groups: sent from the portal without an account, confirmed by
e-mail, accepted (then a 出前講座 event of the meetings app, when installed) or declined by staff.

Spam is kept out without a third-party CAPTCHA: a field people never see (a honeypot: bots fill every
field), a signed time stamp of when the form was shown (a person takes more than a few seconds; a
form older than a day is sent again), and a limit per client address in ``core.rate_limits``.

The requester's name, phone and e-mail are personal data: only the municipality's staff (and the
region's administrators) read them, every reading is access-logged, and they never reach a log line
(the access log records ids, mail failures their kind only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from renkei.core import permissions, public_events, rate_limits
from renkei.core.audit import record_access
from renkei.core.mail import error_name
from renkei.core.models import Municipality, User
from renkei.core.public_events import LectureBooking
from renkei.core.services import RuleError
from renkei.outreach.models import LectureRequest, LectureTopic

STAMP_SALT = "renkei.outreach.lecture-application-form"
MIN_SECONDS = 3  # faster than anyone reads and fills the form
MAX_AGE = timedelta(days=1)
RATE_LIMIT = 5  # requests from one address
RATE_WINDOW_SECONDS = 60 * 60
MAX_DATES = 3


class RequestError(RuleError):
    code = "outreach_request_invalid"


class RateLimited(RequestError):
    code = "rate_limited"
    status = 429


class Spam(Exception):
    """A submission a person did not make (the honeypot was filled): answered as if it succeeded."""


# --- topics (the municipality's list) ---


def active_topics(municipality: Municipality) -> QuerySet[LectureTopic]:
    return LectureTopic.objects.filter(municipality=municipality, active=True).order_by("title", "pk")


def add_topic(actor: User, municipality: Municipality, title: str, description: str = "") -> LectureTopic:
    if not permissions.can_handle_lecture_requests(actor, municipality):
        raise PermissionDenied
    if not title.strip():
        raise RequestError("講座名を入力してください。", "title")
    if LectureTopic.objects.filter(municipality=municipality, title=title.strip()).exists():
        raise RequestError("同じ名前の講座がすでにあります。", "title")
    return LectureTopic.objects.create(
        municipality=municipality, title=title.strip(), description=description
    )


def set_topic_active(actor: User, topic: LectureTopic, active: bool) -> None:
    if not permissions.can_handle_lecture_requests(actor, topic.municipality):
        raise PermissionDenied
    topic.active = active
    topic.save(update_fields=["active"])


# --- spam checks ---


def form_stamp(now: datetime | None = None) -> str:
    """The signed moment the form was shown, for its hidden field."""
    return signing.TimestampSigner(salt=STAMP_SALT).sign(str(int((now or timezone.now()).timestamp())))


def check_not_spam(*, honeypot: str, stamp: str, address: str | None, now: datetime | None = None) -> None:
    """:class:`Spam` for a filled honeypot; :class:`RequestError` for a form sent too fast, too late
    or with its stamp altered; :class:`RateLimited` past :data:`RATE_LIMIT` requests per address."""
    if honeypot:
        raise Spam
    now = now or timezone.now()
    try:
        shown = int(signing.TimestampSigner(salt=STAMP_SALT).unsign(stamp))
    except (signing.BadSignature, ValueError):
        raise RequestError(
            "送信を受け付けられませんでした。ページを開き直して、もう一度入力してください。"
        ) from None
    elapsed = now.timestamp() - shown
    if elapsed < MIN_SECONDS:
        raise RequestError("送信が早すぎます。内容を確かめてから、もう一度「申し込む」を押してください。")
    if elapsed > MAX_AGE.total_seconds():
        raise RequestError(
            "ページを開いてから時間がたちました。ページを開き直して、もう一度入力してください。"
        )
    if (
        address
        and rate_limits.hit(f"outreach:lecture-application:{address}", RATE_WINDOW_SECONDS) > RATE_LIMIT
    ):
        raise RateLimited(
            "短い時間に何度も申し込まれたため、受け付けられませんでした。しばらくしてから、または電話でお申し込みください。"
        )


# --- the application ---


@dataclass
class RequestDetails:
    topic: LectureTopic
    group_kind: str
    group_name: str
    contact_name: str
    phone: str
    email: str
    preferred_dates: list[date]
    preferred_time: str
    place: str
    expected_number: int
    message: str


def submit(
    municipality: Municipality, details: RequestDetails, *, today: date | None = None
) -> LectureRequest:
    """A residents' group's application (no account: the acting user is nobody), and its confirmation mail."""
    today = today or timezone.localdate()
    if details.topic.municipality_id != municipality.pk or not details.topic.active:
        raise RequestError("講座を一覧から選んでください。", "topic")
    dates = list(dict.fromkeys(details.preferred_dates))
    if not dates or len(dates) > MAX_DATES:
        raise RequestError(f"希望日を1〜{MAX_DATES}日入力してください。", "preferred_date_1")
    if any(day <= today for day in dates):
        raise RequestError("希望日は明日以降の日付にしてください。", "preferred_date_1")
    with transaction.atomic():
        application = LectureRequest.objects.create(
            municipality=municipality, topic=details.topic, group_kind=details.group_kind,
            group_name=details.group_name, contact_name=details.contact_name, phone=details.phone,
            email=details.email, preferred_dates=[day.isoformat() for day in dates],
            preferred_time=details.preferred_time, place=details.place,
            expected_number=details.expected_number, message=details.message,
        )  # fmt: skip
        record_access(None, action="create", subject_type="lecture_request", subject_id=application.pk)
    _mail(application, "received")
    return application


def handled_requests(actor: User) -> QuerySet[LectureRequest]:
    """The requests ``actor`` may read (queryset form of ``can_handle_lecture_requests``)."""
    return LectureRequest.objects.filter(
        municipality__in=permissions.lecture_request_municipalities(actor)
    ).select_related("municipality", "topic")


def read_request(actor: User, pk: int) -> LectureRequest:
    application = handled_requests(actor).filter(pk=pk).first()
    if application is None:
        if LectureRequest.objects.filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404
    record_access(actor, action="view", subject_type="lecture_request", subject_id=application.pk)
    return application


def _decidable(actor: User, application: LectureRequest) -> None:
    if not permissions.can_handle_lecture_requests(actor, application.municipality):
        raise PermissionDenied
    if application.status != LectureRequest.Status.NEW:
        raise RequestError("この申込みはすでに回答済みです。")


def accept(
    actor: User, application: LectureRequest, *, starts_at: datetime, ends_at: datetime
) -> LectureRequest:
    """Accept the application for this time: it becomes a 出前講座 event of the meetings app when that app
    is installed (linked by id), and the requester is told by mail."""
    _decidable(actor, application)
    if ends_at <= starts_at:
        raise RequestError("終了時刻は開始時刻より後にしてください。", "ends_at")
    if timezone.localdate(starts_at) < timezone.localdate():
        raise RequestError("実施日は今日以降にしてください。", "day")
    calendar = public_events.calendar()
    with transaction.atomic():
        if calendar is not None:
            application.event_id = calendar.book_outreach_lecture(
                actor, _booking(application, starts_at, ends_at)
            )
        application.status = LectureRequest.Status.ACCEPTED
        application.accepted_starts_at = starts_at
        application.decided_by, application.decided_at = actor, timezone.now()
        application.save()
        record_access(
            actor,
            action="update",
            subject_type="lecture_request",
            subject_id=application.pk,
            object_type="accept",
        )
    _mail(application, "accepted")
    return application


def _booking(application: LectureRequest, starts_at: datetime, ends_at: datetime) -> LectureBooking:
    return LectureBooking(
        municipality=application.municipality,
        title=f"出前講座「{application.topic.title}」{application.group_name}",
        theme=application.topic.title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=application.place,
        description=f"{application.get_group_kind_display()}「{application.group_name}」からの申込み（参加予定 {application.expected_number}人）。",
    )


def decline(actor: User, application: LectureRequest, *, reason: str) -> LectureRequest:
    _decidable(actor, application)
    if not reason.strip():
        raise RequestError("お断りの理由を入力してください。申込みの方へのメールに書かれます。", "reason")
    application.status = LectureRequest.Status.DECLINED
    application.decline_reason = reason.strip()
    application.decided_by, application.decided_at = actor, timezone.now()
    application.save()
    record_access(
        actor,
        action="update",
        subject_type="lecture_request",
        subject_id=application.pk,
        object_type="decline",
    )
    _mail(application, "declined")
    return application


def event_url(application: LectureRequest) -> str:
    calendar = public_events.calendar()
    return calendar.staff_url(application.event_id) if calendar and application.event_id else ""


# --- mail ---

_SUBJECTS = {
    "received": "【{m}】出前講座のお申込みを受け付けました",
    "accepted": "【{m}】出前講座のお申込みをお受けしました",
    "declined": "【{m}】出前講座のお申込みについて",
}


def _mail(application: LectureRequest, kind: str) -> None:
    """Send one mail to the requester; a failure is recorded on the application (its kind only) and
    staff see it, since the application itself is kept."""
    place = application.municipality.name
    body = _mail_body(application, kind)
    message = EmailMessage(
        _SUBJECTS[kind].format(m=place), body, settings.DEFAULT_FROM_EMAIL, [application.email]
    )
    try:
        message.send()
    except Exception as exc:  # any server or network error; the application stays, staff call instead
        application.mail_error = error_name(exc)
    else:
        application.mail_error = ""
    LectureRequest.objects.filter(pk=application.pk).update(mail_error=application.mail_error)


def _mail_body(application: LectureRequest, kind: str) -> str:
    dates = "、".join(date.fromisoformat(day).strftime("%Y年%m月%d日") for day in application.preferred_dates)
    summary = (
        f"講座: {application.topic.title}\n団体: {application.group_name}\n希望日: {dates}"
        f"{'（' + application.preferred_time + '）' if application.preferred_time else ''}\n"
        f"会場: {application.place}\n参加予定人数: {application.expected_number}人\n"
    )
    greeting = f"{application.contact_name} 様\n\n"
    if kind == "received":
        lead = (
            "出前講座のお申込みを受け付けました。担当者が内容を確認し、あらためてメールでご連絡します。\n\n"
        )
    elif kind == "accepted":
        when = timezone.localtime(application.accepted_starts_at).strftime("%Y年%m月%d日 %H:%M")
        lead = f"出前講座のお申込みをお受けしました。\n実施日時: {when}から\n詳しいことは担当者からご連絡します。\n\n"
    else:
        lead = f"申し訳ありませんが、今回のお申込みはお受けできませんでした。\n理由: {application.decline_reason}\n\n"
    footer = f"\n{application.municipality.name} 在宅医療・介護連携の担当\nこのメールに心当たりのない方は、お手数ですが破棄してください。\n"
    return greeting + lead + summary + footer
