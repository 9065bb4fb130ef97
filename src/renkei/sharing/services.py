"""The rules of care-team sharing. Views, API handlers and commands call these functions; who may
call them is answered by :mod:`renkei.core.permissions` before they are called."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Cast
from django.utils import timezone

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, Organization, Region, User
from renkei.core.spreadsheet import spreadsheet_text
from renkei.core.text import normalize
from renkei.sharing import files
from renkei.sharing.models import (
    Attachment,
    CareTeamMembership,
    CollaborationSheet,
    Consent,
    EmergencyAccess,
    NotificationPreference,
    Patient,
    Post,
    PostRead,
    TeamRole,
    covers,
)

EMERGENCY_HOURS = 4
TIMELINE_PAGE_SIZE = 20
NEW_POST_SUBJECT = "【Renkei】担当利用者のタイムラインに新しい投稿があります"
NEW_POST_BODY = "担当利用者のタイムラインに新しい投稿があります。\nログインして確認してください:\n{url}\n"


class SharingError(Exception):
    """A request that the rules refuse; the message is for people (Japanese)."""


def log(
    request,
    patient: Patient,
    action: str,
    object_type: str = "patient",
    object_id: object = "",
    user=None,
    access: permissions.PatientAccess | None = None,
):
    """One access-log row about ``patient``; flagged when the reader sees it by breaking the glass."""
    user = user if user is not None else getattr(request, "user", None)
    if action == AccessLog.Action.DENIED:
        flagged = False
    else:
        flagged = (access or permissions.patient_access(user, patient)).emergency_view
    return record_access(
        request,
        action=action,
        subject_type="patient",
        subject_id=patient.pk,
        object_type=object_type,
        object_id=object_id if object_id != "" else (patient.pk if object_type == "patient" else ""),
        user=user,
        flagged=flagged,
    )


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- patients -------------------------------------------------------------------------------


def kana_key(kana: str) -> str:
    return normalize(kana).replace(" ", "")


def _same_person_in_region(user: User, full_name_kana: str, birth_date: date) -> QuerySet[Patient]:
    """Records of the user's region with the same name-kana (normalised) and birth date."""
    region = permissions.home_region(user)
    if region is None:
        return Patient.objects.none()
    return Patient.objects.filter(
        kana_key=kana_key(full_name_kana),
        birth_date=birth_date,
        organization__municipality__region=region,
    )


def _log_lookup(request, user: User, patients: list[Patient], object_type: str) -> None:
    """Finding a record tells who holds it: each record found is logged, flagged, for its owners."""
    for patient in patients:
        record_access(
            request,
            action=AccessLog.Action.VIEW,
            subject_type="patient",
            subject_id=patient.pk,
            object_type=object_type,
            user=user,
            flagged=True,
        )


def is_possible_duplicate(request, user: User, full_name_kana: str, birth_date: date) -> bool:
    """Before registering: does the region already hold a record of this person? The answer (never
    how many, nor whose) is itself a disclosure, so each record it rests on is logged and flagged."""
    found = list(_same_person_in_region(user, full_name_kana, birth_date))
    _log_lookup(request, user, found, "duplicate_check")
    return bool(found)


def default_team_role(user: User) -> str:
    by_profession = {
        User.Profession.PHYSICIAN: TeamRole.PRIMARY_PHYSICIAN,
        User.Profession.NURSE: TeamRole.VISITING_NURSE,
        User.Profession.CARE_MANAGER: TeamRole.CARE_MANAGER,
        User.Profession.PHARMACIST: TeamRole.PHARMACIST,
        User.Profession.CARE_WORKER: TeamRole.CARE_SERVICE,
    }
    if user.role == User.Role.MUNICIPALITY_STAFF:
        if user.organization.kind == Organization.Kind.COMMUNITY_SUPPORT_CENTER:
            return TeamRole.COMMUNITY_SUPPORT_CENTER
        return TeamRole.MUNICIPALITY
    return by_profession.get(user.profession, TeamRole.OTHER)


@transaction.atomic
def register_patient(request, user: User, data: dict, team_role: str | None = None) -> Patient:
    """The registering person becomes the first member; their organisation owns the record."""
    patient = Patient(organization=user.organization, registered_by=user, **data)
    patient.full_clean()
    patient.save()
    CareTeamMembership.objects.create(
        patient=patient, user=user, team_role=team_role or default_team_role(user), invited_by=user
    )
    log(request, patient, AccessLog.Action.CREATE, user=user)
    return patient


@transaction.atomic
def update_patient(request, user: User, patient: Patient, data: dict) -> Patient:
    for name, value in data.items():
        setattr(patient, name, value)
    patient.full_clean()
    patient.save()
    log(request, patient, AccessLog.Action.UPDATE, user=user)
    return patient


# --- consent --------------------------------------------------------------------------------


def active_consent(patient: Patient) -> Consent | None:
    return patient.consents.filter(withdrawn_at=None).first()


CONSENT_IN_FORCE = "有効な同意がすでに記録されています。範囲を変えるときは、先に撤回を記録してください。"


def record_consent(request, user: User, patient: Patient, data: dict, scan=None) -> Consent:
    """Record consent. The scan (PDF/JPEG) is checked before anything is written. Refused with
    :class:`SharingError` while another consent is in force: a change of scope is a withdrawal
    followed by a new consent, so exactly one consent decides who sees the record."""
    if active_consent(patient) is not None:
        raise SharingError(CONSENT_IN_FORCE)
    checked = files.check_upload(scan, allowed=(files.PDF, files.JPEG)) if scan else None
    stored = files.store(checked) if checked else ""
    try:
        with transaction.atomic():
            # Two people recording at once: the second waits here, then sees the first's consent.
            Patient.objects.select_for_update().filter(pk=patient.pk).first()
            if active_consent(patient) is not None:
                raise SharingError(CONSENT_IN_FORCE)
            consent = Consent(
                patient=patient,
                recorded_by=user,
                scan=stored,
                scan_content_type=checked.content_type if checked else "",
                **data,
            )
            consent.full_clean(validate_constraints=False)  # the one in force: checked just above
            try:
                with transaction.atomic():
                    consent.save()
            except IntegrityError:  # a database without row locks (SQLite) raced us to it
                raise SharingError(CONSENT_IN_FORCE) from None
            log(request, patient, AccessLog.Action.CREATE, "consent", consent.pk, user=user)
    except Exception:
        if stored:
            files.remove(stored)
        raise
    return consent


@transaction.atomic
def withdraw_consent(request, user: User, patient: Patient, note: str = "") -> int:
    """End consent: every member outside the registering organisation loses access at once, and
    running emergency accesses end. Returns how many memberships ended."""
    now = timezone.now()
    consents = list(patient.consents.select_for_update().filter(withdrawn_at=None))
    if not consents:
        raise SharingError("有効な同意が記録されていません。")
    for consent in consents:
        consent.withdrawn_at = now
        consent.withdrawn_by = user
        consent.withdrawal_note = note
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        log(request, patient, AccessLog.Action.UPDATE, "consent_withdrawal", consent.pk, user=user)
    ended = (
        CareTeamMembership.objects.filter(patient=patient, left_at=None)
        .exclude(user__organization_id=patient.organization_id)
        .update(left_at=now, end_reason=CareTeamMembership.EndReason.CONSENT_WITHDRAWN)
    )
    EmergencyAccess.objects.filter(patient=patient, ended_at=None, expires_at__gt=now).update(ended_at=now)
    return ended


# --- the care team --------------------------------------------------------------------------


def current_members(patient: Patient) -> QuerySet[CareTeamMembership]:
    return (
        CareTeamMembership.objects.filter(patient=patient, left_at=None)
        .select_related("user", "user__organization")
        .order_by("joined_at", "pk")
    )


def _profession_codes(query: str) -> list[str]:
    key = normalize(query)
    return [code for code, label in User.Profession.choices if key and key in normalize(str(label))]


def search_invitees(user: User, patient: Patient, query: str, limit: int = 20) -> list[User]:
    """People of the patient's region who may join a care team, matched by name, kana,
    organisation or profession; current members are left out."""
    key = normalize(query).replace(" ", "")
    if not key:
        return []
    region = patient.organization.municipality.region
    candidates = (
        User.objects.filter(
            is_active=True,
            organization__municipality__region=region,
            role__in=[User.Role.PROFESSIONAL, User.Role.MUNICIPALITY_STAFF],
        )
        .exclude(care_teams__patient=patient, care_teams__left_at=None)
        .select_related("organization")
        .order_by("full_name_kana", "pk")
    )
    professions = set(_profession_codes(query))
    found = []
    for candidate in candidates.iterator():
        text = normalize(f"{candidate.full_name}{candidate.full_name_kana}").replace(" ", "")
        if (
            key in text
            or key in candidate.organization.search_text.replace(" ", "")
            or candidate.profession in professions
        ):
            found.append(candidate)
            if len(found) >= limit:
                break
    return found


def invite(request, user: User, patient: Patient, invitee: User, team_role: str) -> CareTeamMembership:
    if not permissions.can_join_care_team(invitee, patient):
        raise SharingError(
            "この方はケアチームに招待できません（圏域内の専門職・市町村職員のみ招待できます）。"
        )
    if team_role not in TeamRole.values:
        raise SharingError("チームでの役割を選んでください。")
    try:
        with transaction.atomic():
            membership = CareTeamMembership.objects.create(
                patient=patient, user=invitee, team_role=team_role, invited_by=user
            )
            log(request, patient, AccessLog.Action.CREATE, "membership", membership.pk, user=user)
    except IntegrityError:
        raise SharingError("この方はすでにケアチームの一員です。") from None
    if invitee.email:
        transaction.on_commit(
            lambda: send_mass_mail(
                [
                    (
                        "【Renkei】ケアチームに招待されました",
                        "あなたが担当するケアチームに招待されました。\nログインして確認してください:\n"
                        + site_url("/patients/")
                        + "\n",
                        settings.DEFAULT_FROM_EMAIL,
                        [invitee.email],
                    )
                ],
                fail_silently=True,
            )
        )
    return membership


def _owner_members_left(patient: Patient, excluding: CareTeamMembership) -> bool:
    return (
        CareTeamMembership.objects.filter(
            patient=patient, left_at=None, user__organization_id=patient.organization_id
        )
        .exclude(pk=excluding.pk)
        .exists()
    )


@transaction.atomic
def end_membership(request, user: User, membership: CareTeamMembership, reason: str) -> None:
    """A member leaves, or the owner removes one. The registering organisation keeps at least one
    member, so the record always has someone who manages it.

    The patient's row is locked first: two last owner members leaving at the same moment are
    decided one after the other, and the second finds that the first has gone."""
    patient = membership.patient
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    membership.refresh_from_db(fields=["left_at"])
    if membership.left_at is not None:
        raise SharingError("この方はすでにケアチームから外れています。")
    if membership.user.organization_id == patient.organization_id and not _owner_members_left(
        patient, membership
    ):
        raise SharingError(
            "登録した組織の最後のメンバーはチームから外れられません。先に同じ組織の担当者を招待してください。"
        )
    log(request, patient, AccessLog.Action.UPDATE, "membership", membership.pk, user=user)
    membership.left_at = timezone.now()
    membership.end_reason = reason
    membership.save(update_fields=["left_at", "end_reason"])


# --- break the glass ------------------------------------------------------------------------


def find_for_emergency(request, user: User, full_name_kana: str, birth_date: date) -> list[Patient]:
    """Break the glass, step one: the records of this exact person that the user may open in an
    emergency. The search itself is logged and flagged for each record found."""
    found = [
        patient
        for patient in _same_person_in_region(user, full_name_kana, birth_date).select_related(
            "organization__municipality"
        )
        if permissions.can_break_glass(user, patient)
    ]
    _log_lookup(request, user, found, "emergency_search")
    return found


def break_glass(
    request, user: User, patient: Patient, reason: str, now: datetime | None = None
) -> EmergencyAccess:
    reason = reason.strip()
    if len(reason) < 10:
        raise SharingError("緊急アクセスの理由を具体的に（10文字以上）書いてください。")
    if not permissions.can_break_glass(user, patient):
        raise SharingError("緊急アクセスは圏域内の専門職だけが使えます。")
    now = now or timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            patient=patient,
            user=user,
            reason=reason,
            starts_at=now,
            expires_at=now + timedelta(hours=EMERGENCY_HOURS),
        )
        record_access(
            request,
            action=AccessLog.Action.BREAK_GLASS,
            subject_type="patient",
            subject_id=patient.pk,
            object_type="emergency_access",
            object_id=access.pk,
            user=user,
            flagged=True,
        )
    owners = [
        member.user.email
        for member in current_members(patient)
        if member.user.organization_id == patient.organization_id and member.user.email
    ]
    if owners:
        message = (
            "【Renkei】担当利用者の記録に緊急アクセスがありました",
            "担当利用者の記録に緊急アクセス（ブレークグラス）がありました。\n"
            "理由と閲覧の記録を確認してください:\n" + site_url(f"/patients/{patient.pk}/access-log/") + "\n",
            settings.DEFAULT_FROM_EMAIL,
            owners,
        )
        transaction.on_commit(lambda: send_mass_mail([message], fail_silently=True))
    return access


# --- the timeline ---------------------------------------------------------------------------


def create_post(
    request,
    user: User,
    patient: Patient,
    *,
    category: str,
    body: str,
    urgent: bool = False,
    parent: Post | None = None,
    uploads: Iterable = (),
    sheet: dict | None = None,
) -> Post:
    """Write a post (or a reply, or a collaboration sheet). Files are checked first; if any is
    refused nothing is stored."""
    if parent is not None and (parent.patient_id != patient.pk or parent.parent_id is not None):
        raise SharingError("返信先の投稿が見つかりません。")
    if not body.strip() and sheet is None:
        raise SharingError("本文を入力してください。")
    checked = [files.check_upload(upload) for upload in uploads]
    stored: list[str] = []
    try:
        with transaction.atomic():
            post = Post.objects.create(
                patient=patient,
                author=user,
                parent=parent,
                category=category,
                urgent=urgent,
                body=body.strip(),
            )
            if sheet is not None:
                sheet_row = CollaborationSheet(post=post, **sheet)
                sheet_row.full_clean()
                sheet_row.save()
            for item in checked:
                name = files.store(item)
                stored.append(name)
                Attachment.objects.create(
                    post=post,
                    stored_name=name,
                    original_name=item.original_name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=item.sha256,
                    uploaded_by=user,
                )
            PostRead.objects.create(post=post, user=user)
            Patient.objects.filter(pk=patient.pk).update(last_post_at=post.created_at)
            log(request, patient, AccessLog.Action.CREATE, "post", post.pk, user=user)
            transaction.on_commit(lambda: notify_new_post(post))
    except Exception:
        for name in stored:
            files.remove(name)
        raise
    return post


@dataclass
class TimelineEntry:
    post: Post
    replies: list[TimelineEntry] = field(default_factory=list)
    readers: list[User] = field(default_factory=list)
    audience: int = 0

    @property
    def read_count(self) -> int:
        return len(self.readers)


@dataclass
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_next: bool
    member_count: int = 0

    def unread_by(self, user: User) -> list[Post]:
        return [
            entry.post
            for entry in self.entries + [reply for entry in self.entries for reply in entry.replies]
            if entry.post.author_id != user.pk and all(reader.pk != user.pk for reader in entry.readers)
        ]

    @property
    def posts(self) -> list[Post]:
        return [entry.post for entry in self.entries] + [
            reply.post for entry in self.entries for reply in entry.replies
        ]


def timeline(patient: Patient, page: int = 1, per_page: int = TIMELINE_PAGE_SIZE) -> TimelinePage:
    """One page of top-level posts, newest first, with their replies, files, sheets and read
    receipts, in five queries whatever the size of the timeline."""
    page = max(1, page)
    start = (page - 1) * per_page
    top = list(
        Post.objects.filter(patient=patient, parent=None)
        .select_related("author", "author__organization", "sheet")
        .order_by("-created_at", "-id")[start : start + per_page + 1]
    )
    has_next = len(top) > per_page
    top = top[:per_page]
    replies = list(
        Post.objects.filter(parent__in=[post.pk for post in top])
        .select_related("author", "author__organization", "sheet")
        .order_by("created_at", "id")
    )
    prefetch_related_objects(top + replies, "attachments")
    members = {member.user_id: member.user for member in current_members(patient)}
    readers: dict[int, list[int]] = defaultdict(list)
    for post_id, user_id in (
        PostRead.objects.filter(post__in=[post.pk for post in top + replies], user__in=list(members))
        .order_by("read_at")
        .values_list("post_id", "user_id")
    ):
        readers[post_id].append(user_id)

    def entry(post: Post) -> TimelineEntry:
        audience = [user_id for user_id in members if user_id != post.author_id]
        return TimelineEntry(
            post=post,
            readers=[members[user_id] for user_id in readers[post.pk] if user_id != post.author_id],
            audience=len(audience),
        )

    entries = {post.pk: entry(post) for post in top}
    for reply in replies:
        entries[reply.parent_id].replies.append(entry(reply))
    return TimelinePage(
        entries=list(entries.values()), number=page, has_next=has_next, member_count=len(members)
    )


def mark_read(user: User, posts: Iterable[Post]) -> None:
    now = timezone.now()
    posts = list(posts)
    if not posts:
        return
    PostRead.objects.bulk_create(
        [PostRead(post=post, user=user, read_at=now) for post in posts if post.author_id != user.pk],
        ignore_conflicts=True,
    )


def visible_post(patient: Patient, post_id: int) -> Post:
    return Post.objects.select_related("author", "author__organization", "sheet").get(
        pk=post_id, patient=patient
    )


# --- the home list --------------------------------------------------------------------------


@dataclass
class HomeEntry:
    """One line of a member's home list (plain values: the list may hold hundreds of patients)."""

    patient_id: int
    full_name: str
    municipality: str
    team_role: str
    visible: bool
    last_post_at: datetime | None
    unread: int = 0
    unread_urgent: int = 0

    @property
    def team_role_label(self) -> str:
        return TeamRole(self.team_role).label


def _consent_scopes(patient_ids: list[int]) -> dict[int, list[str]]:
    """The scope (team roles; empty = everyone) of the consent in force, per patient that has one.
    The database allows one consent in force per patient; should there ever be more, the newest
    decides, as in :class:`renkei.core.permissions.PatientAccess` (the dict keeps the last row)."""
    return dict(
        Consent.objects.filter(patient__in=patient_ids, withdrawn_at=None)
        .order_by("recorded_at", "pk")
        .values_list("patient_id", "scope_roles")
    )


def unread_counts(user: User) -> dict[int, tuple[int, int]]:
    """Per patient: (unread posts, unread urgent posts) since the user joined the team, in one
    aggregate query."""
    read = PostRead.objects.filter(post=OuterRef("pk"), user=user)
    rows = (
        Post.objects.filter(
            patient__memberships__user=user,
            patient__memberships__left_at=None,
            created_at__gte=F("patient__memberships__joined_at"),
        )
        .exclude(author=user)
        .filter(~Exists(read))
        .values("patient_id")
        .annotate(unread=Count("id"), urgent=Count("id", filter=Q(urgent=True)))
        .order_by()
    )
    return {row["patient_id"]: (row["unread"], row["urgent"]) for row in rows}


def home_list(user: User) -> list[HomeEntry]:
    """The member's patients: unread urgent posts first, then unread, then latest activity. Three
    queries whatever the number of teams. Names of patients whose record the member may not see
    yet (no consent, other organisation) are left out."""
    rows = list(
        CareTeamMembership.objects.filter(user=user, left_at=None).values(
            "patient_id",
            "team_role",
            "patient__full_name",
            "patient__organization_id",
            "patient__last_post_at",
            "patient__municipality__name",
        )
    )
    scopes = _consent_scopes([row["patient_id"] for row in rows])
    counts = unread_counts(user)
    entries = []
    for row in rows:
        visible = row["patient__organization_id"] == user.organization_id or (
            row["patient_id"] in scopes and covers(scopes[row["patient_id"]], row["team_role"])
        )
        unread, urgent = counts.get(row["patient_id"], (0, 0)) if visible else (0, 0)
        entries.append(
            HomeEntry(
                patient_id=row["patient_id"],
                full_name=row["patient__full_name"] if visible else "",
                municipality=row["patient__municipality__name"] if visible else "",
                team_role=row["team_role"],
                visible=visible,
                last_post_at=row["patient__last_post_at"] if visible else None,
                unread=unread,
                unread_urgent=urgent,
            )
        )
    epoch = datetime.min.replace(tzinfo=UTC)
    entries.sort(
        key=lambda entry: (
            entry.unread_urgent > 0,
            entry.unread > 0,
            entry.last_post_at or epoch,
            -entry.patient_id,
        ),
        reverse=True,
    )
    return entries


def emergency_accesses(user: User, now: datetime | None = None) -> QuerySet[EmergencyAccess]:
    now = now or timezone.now()
    return EmergencyAccess.objects.filter(user=user, expires_at__gt=now, ended_at=None).select_related(
        "patient"
    )


# --- notifications --------------------------------------------------------------------------


def preference(user: User) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.get_or_create(user=user)
    return pref


def _recipients_of(post: Post) -> list[User]:
    patient = post.patient
    consent = active_consent(patient)
    members = [
        member.user
        for member in current_members(patient)
        if member.user_id != post.author_id
        and member.user.is_active
        and (
            member.user.organization_id == patient.organization_id
            or (consent is not None and consent.covers(member.team_role))
        )
    ]
    quiet = set(
        NotificationPreference.objects.filter(user__in=members)
        .exclude(mode=NotificationPreference.Mode.IMMEDIATE)
        .values_list("user_id", flat=True)
    )
    return [user for user in members if user.pk not in quiet and user.email]


def notify_new_post(post: Post) -> int:
    """Mail members who want every post. The mail names no one and quotes nothing."""
    url = site_url(f"/patients/{post.patient_id}/")
    messages = [
        (NEW_POST_SUBJECT, NEW_POST_BODY.format(url=url), settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in _recipients_of(post)
    ]
    return send_mass_mail(messages, fail_silently=True) if messages else 0


def _visible_patient_ids(user: User) -> list[int]:
    memberships = list(
        CareTeamMembership.objects.filter(user=user, left_at=None).values_list(
            "patient_id", "team_role", "patient__organization_id"
        )
    )
    scopes = _consent_scopes([patient_id for patient_id, _, _ in memberships])
    return [
        patient_id
        for patient_id, team_role, organization_id in memberships
        if organization_id == user.organization_id
        or (patient_id in scopes and covers(scopes[patient_id], team_role))
    ]


def visible_patients(user: User) -> QuerySet[Patient]:
    """The patients whose record ``user`` sees as a care-team member (the home list's rule), for
    other apps that offer a choice among them; ordered by reading and birth date."""
    return Patient.objects.filter(pk__in=_visible_patient_ids(user)).order_by("kana_key", "birth_date", "pk")


def digest_due(pref: NotificationPreference, now: datetime) -> bool:
    return timezone.localdate(pref.covered_until) < timezone.localdate(now)


def send_digests(now: datetime | None = None) -> int:
    """Send each digest subscriber one mail a day with the number of new posts. Safe to run again
    and again: each run claims the window (covered_until, now] with a conditional UPDATE, so a
    window is mailed at most once even when two runs overlap."""
    now = now or timezone.now()
    sent = 0
    prefs = NotificationPreference.objects.filter(
        mode=NotificationPreference.Mode.DIGEST, user__is_active=True
    ).select_related("user")
    for pref in prefs.iterator():
        if not digest_due(pref, now):
            continue
        claimed = NotificationPreference.objects.filter(pk=pref.pk, covered_until=pref.covered_until).update(
            covered_until=now
        )
        if not claimed:
            continue  # another run took this window
        count = (
            Post.objects.filter(
                patient_id__in=_visible_patient_ids(pref.user),
                created_at__gt=pref.covered_until,
                created_at__lte=now,
            )
            .exclude(author=pref.user)
            .count()
        )
        if count and pref.user.email:
            send_mass_mail(
                [
                    (
                        "【Renkei】担当利用者のタイムラインの新着（1日分）",
                        f"担当利用者のタイムラインに新しい投稿が{count}件あります。\nログインして確認してください:\n"
                        + site_url("/patients/")
                        + "\n",
                        settings.DEFAULT_FROM_EMAIL,
                        [pref.user.email],
                    )
                ],
                fail_silently=False,
            )
            sent += 1
    return sent


# --- access log -----------------------------------------------------------------------------


def patient_access_log(patient: Patient) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(subject_type="patient", subject_id=str(patient.pk)).select_related(
        "user", "organization"
    )


def with_emergency_reasons(rows) -> list[AccessLog]:
    """The rows of a patient's access log, each break-the-glass row with the reason given.

    The reason (often a health detail) stays on the EmergencyAccess, which only the record's
    owners read here; the access log itself, exported region-wide, never holds it."""
    rows = list(rows)
    ids = {row.object_id for row in rows if row.object_type == "emergency_access" and row.object_id.isdigit()}
    reasons = {
        str(pk): reason
        for pk, reason in EmergencyAccess.objects.filter(pk__in=ids).values_list("pk", "reason")
    }
    for row in rows:
        row.emergency_reason = reasons.get(row.object_id, "") if row.object_type == "emergency_access" else ""
    return rows


EXPORT_HEADER = [
    "日時",
    "利用者アカウントID",
    "氏名",
    "所属",
    "操作",
    "対象の種類",
    "対象ID",
    "操作したもの",
    "操作したもののID",
    "IPアドレス",
    "経路",
    "要確認",
]


def region_access_log(
    region: Region, start: date | None = None, end: date | None = None
) -> QuerySet[AccessLog]:
    patient_ids = (
        Patient.objects.filter(organization__municipality__region=region)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    rows = AccessLog.objects.filter(subject_type="patient", subject_id__in=patient_ids)
    if start:
        rows = rows.filter(at__date__gte=start)
    if end:
        rows = rows.filter(at__date__lte=end)
    return rows.select_related("user", "organization").order_by("at", "pk")


def export_rows(rows: QuerySet[AccessLog]) -> Iterator[str]:
    """CSV text (UTF-8 with BOM, for Excel): who did what to which record id, never the contents.
    Names and organisations are typed by people, so they go out as text, never formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    yield "\ufeff"
    writer.writerow(EXPORT_HEADER)
    yield flush()
    for row in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                row.user_id or "",
                spreadsheet_text(row.user.get_full_name() if row.user else ""),
                spreadsheet_text(row.organization.name if row.organization else ""),
                row.get_action_display(),
                row.subject_kind_label,
                row.subject_id,
                row.object_kind_label,
                row.object_id,
                row.ip_address or "",
                row.via_label,
                "要確認" if row.flagged else "",
            ]
        )
        yield flush()
