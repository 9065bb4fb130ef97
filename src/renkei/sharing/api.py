"""Care-team sharing for machines: /api/v1/patients/…, the same services and permission functions
as the pages. Every response carries ``Cache-Control: no-store``."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from renkei.api import error_response
from renkei.core import permissions
from renkei.core.api_auth import REQUIRED
from renkei.core.models import AccessLog, User
from renkei.core.two_factor import require_verified_for_api
from renkei.sharing import files, services
from renkei.sharing.models import (
    Attachment,
    CareLevel,
    CareTeamMembership,
    Consent,
    Patient,
    Post,
    PostCategory,
    TeamRole,
)

PREFIX = "/patients"
router = Router(tags=["patients（ケアチーム）"], auth=REQUIRED)

NO_STORE = "no-store, private"


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = NO_STORE


def _guard(request: HttpRequest, response: HttpResponse | None = None) -> None:
    """Every handler: a token, or a session that passed the second factor; never cached."""
    require_verified_for_api(request)
    if response is not None:
        _no_store(response)


def _patient_and_access(request: HttpRequest, patient_id: int, need: str = "can_view"):
    patient = get_object_or_404(Patient.objects.select_related("organization__municipality"), pk=patient_id)
    access = permissions.patient_access(request.user, patient)
    if not getattr(access, need):
        services.log(request, patient, AccessLog.Action.DENIED, access=access)
        raise PermissionDenied
    return patient, access


class PatientSummary(Schema):
    id: int
    visible: bool
    full_name: str | None
    team_role: str
    unread: int
    unread_urgent: int


class PatientIn(Schema):
    full_name: str
    full_name_kana: str
    birth_date: date
    sex: Patient.Sex
    municipality_code: str
    address: str = ""
    insurance_number: str = ""
    care_level: CareLevel = CareLevel.NOT_APPLIED
    physician_text: str = ""
    emergency_contacts: str = ""
    conditions: str = ""
    allergies: str = ""
    medications: str = ""
    team_role: TeamRole | None = None
    confirm_not_duplicate: bool = False


class PatientOut(Schema):
    id: int
    full_name: str
    full_name_kana: str
    birth_date: date
    sex: str
    municipality_code: str
    address: str
    insurance_number: str
    care_level: str
    physician: str
    emergency_contacts: str
    conditions: str
    allergies: str
    medications: str
    organization: str
    has_consent: bool


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class PostOut(Schema):
    id: int
    parent_id: int | None
    author: str
    organization: str
    category: str
    urgent: bool
    body: str
    created_at: datetime
    is_collaboration_sheet: bool
    read_count: int
    audience: int
    attachments: list[AttachmentOut]


class PostPage(Schema):
    page: int
    has_next: bool
    items: list[PostOut]


class PostIn(Schema):
    category: PostCategory
    body: str
    urgent: bool = False
    parent_id: int | None = None


class MemberOut(Schema):
    membership_id: int
    user_id: int
    name: str
    organization: str
    team_role: str
    joined_at: datetime


class InviteIn(Schema):
    user_id: int
    team_role: TeamRole


def _patient_out(patient: Patient) -> dict:
    return {
        "id": patient.pk,
        "full_name": patient.full_name,
        "full_name_kana": patient.full_name_kana,
        "birth_date": patient.birth_date,
        "sex": patient.sex,
        "municipality_code": patient.municipality.code,
        "address": patient.address,
        "insurance_number": patient.insurance_number,
        "care_level": patient.care_level,
        "physician": patient.physician_label,
        "emergency_contacts": patient.emergency_contacts,
        "conditions": patient.conditions,
        "allergies": patient.allergies,
        "medications": patient.medications,
        "organization": patient.organization.name,
        "has_consent": services.active_consent(patient) is not None,
    }


def _post_out(entry: services.TimelineEntry) -> dict:
    post = entry.post
    return {
        "id": post.pk,
        "parent_id": post.parent_id,
        "author": post.author.get_full_name(),
        "organization": post.author.organization.name if post.author.organization_id else "",
        "category": post.category,
        "urgent": post.urgent,
        "body": post.body,
        "created_at": post.created_at,
        "is_collaboration_sheet": hasattr(post, "sheet"),
        "read_count": entry.read_count,
        "audience": entry.audience,
        "attachments": [
            {"id": item.pk, "name": item.original_name, "content_type": item.content_type, "size": item.size}
            for item in post.attachments.all()
        ],
    }


class PatientPage(Schema):
    page: int
    has_next: bool
    count: int
    items: list[PatientSummary]


HOME_PAGE_SIZE = 50


@router.get(
    "/", response=PatientPage, summary="担当している利用者の一覧（未読数つき、至急・未読の順、50件ずつ）"
)
def list_patients(request, response: HttpResponse, page: int = 1):
    _guard(request, response)
    if not permissions.can_have_patients(request.user):
        raise PermissionDenied
    entries = services.home_list(request.user)
    page = max(1, page)
    chunk = entries[(page - 1) * HOME_PAGE_SIZE : page * HOME_PAGE_SIZE]
    return {
        "page": page,
        "has_next": page * HOME_PAGE_SIZE < len(entries),
        "count": len(entries),
        "items": [
            {
                "id": entry.patient_id,
                "visible": entry.visible,
                "full_name": entry.full_name if entry.visible else None,
                "team_role": entry.team_role,
                "unread": entry.unread,
                "unread_urgent": entry.unread_urgent,
            }
            for entry in chunk
        ],
    }


@router.post("/", response={201: PatientOut}, summary="利用者を登録する")
def create_patient(request, payload: PatientIn, response: HttpResponse):
    _guard(request, response)
    if not permissions.can_register_patient(request.user):
        raise PermissionDenied
    region = permissions.home_region(request.user)
    municipality = region.municipalities.filter(code=payload.municipality_code).first()
    if municipality is None:
        return error_response(
            request, 400, "validation_error", "市町村コードが圏域の市町村ではありません。",
            [{"location": "body.payload.municipality_code", "message": "圏域の市町村コードを指定してください。"}],
        )  # fmt: skip
    if not payload.confirm_not_duplicate and services.is_possible_duplicate(
        request, request.user, payload.full_name_kana, payload.birth_date
    ):
        return error_response(
            request,
            409,
            "possible_duplicate",
            "同じふりがな・生年月日の利用者が圏域内ですでに登録されています。別の方であれば confirm_not_duplicate を true にしてください。",
        )
    data = payload.dict(exclude={"municipality_code", "team_role", "confirm_not_duplicate"})
    data["municipality"] = municipality
    try:
        patient = services.register_patient(request, request.user, data, team_role=payload.team_role)
    except ValidationError as exc:
        return error_response(
            request,
            400,
            "validation_error",
            "入力内容に誤りがあります。",
            [{"location": name, "message": " ".join(errors)} for name, errors in exc.message_dict.items()],
        )
    return _patient_out(patient)


@router.get("/{patient_id}", response=PatientOut, summary="利用者の基本情報")
def get_patient(request, patient_id: int, response: HttpResponse):
    _guard(request, response)
    patient, access = _patient_and_access(request, patient_id)
    services.log(request, patient, AccessLog.Action.VIEW, access=access)
    return _patient_out(patient)


@router.get("/{patient_id}/posts", response=PostPage, summary="タイムライン（新しい順、返信つき）")
def list_posts(request, patient_id: int, response: HttpResponse, page: int = 1):
    _guard(request, response)
    patient, access = _patient_and_access(request, patient_id)
    timeline = services.timeline(patient, page)
    services.log(request, patient, AccessLog.Action.VIEW, "timeline", timeline.number, access=access)
    if access.member:
        services.mark_read(request.user, timeline.unread_by(request.user))
    items = []
    for entry in timeline.entries:
        items.append(_post_out(entry))
        items.extend(_post_out(reply) for reply in entry.replies)
    return {"page": timeline.number, "has_next": timeline.has_next, "items": items}


@router.get("/{patient_id}/posts/{post_id}", response=PostOut, summary="投稿1件")
def get_post(request, patient_id: int, post_id: int, response: HttpResponse):
    _guard(request, response)
    patient, access = _patient_and_access(request, patient_id)
    post = get_object_or_404(
        Post.objects.select_related("author__organization").prefetch_related("attachments"),
        pk=post_id,
        patient=patient,
    )
    services.log(request, patient, AccessLog.Action.VIEW, "post", post.pk, access=access)
    if access.member:
        services.mark_read(request.user, [post])
    members = [member.user for member in services.current_members(patient)]
    readers = set(post.reads.values_list("user_id", flat=True))
    audience = [user for user in members if user.pk != post.author_id]
    entry = services.TimelineEntry(
        post=post, readers=[user for user in audience if user.pk in readers], audience=len(audience)
    )
    return _post_out(entry)


@router.post(
    "/{patient_id}/posts", response={201: PostOut}, summary="タイムラインに投稿する（添付ファイル可）"
)
def create_post(
    request,
    patient_id: int,
    response: HttpResponse,
    payload: Form[PostIn],
    attachments: File[list[UploadedFile]] = None,
):
    _guard(request, response)
    patient, _ = _patient_and_access(request, patient_id, "can_post")
    parent = None
    if payload.parent_id is not None:
        parent = Post.objects.filter(pk=payload.parent_id, patient=patient, parent=None).first()
        if parent is None:
            raise HttpError(404, "返信先の投稿が見つかりません。")
    try:
        post = services.create_post(
            request,
            request.user,
            patient,
            category=payload.category,
            body=payload.body,
            urgent=payload.urgent,
            parent=parent,
            uploads=attachments or [],
        )
    except files.UploadRejected as exc:
        return error_response(request, 400, "upload_rejected", str(exc))
    except services.SharingError as exc:
        return error_response(request, 400, "validation_error", str(exc))
    return _post_out(
        services.TimelineEntry(post=post, audience=services.current_members(patient).count() - 1)
    )


@router.get("/{patient_id}/attachments/{attachment_id}", summary="添付ファイルをダウンロードする")
def download_attachment(request, patient_id: int, attachment_id: int):
    _guard(request)
    patient, access = _patient_and_access(request, patient_id)
    item = get_object_or_404(Attachment, pk=attachment_id, post__patient=patient)
    services.log(request, patient, AccessLog.Action.DOWNLOAD, "attachment", item.pk, access=access)
    result = FileResponse(
        open(files.path_of(item.stored_name), "rb"),
        content_type=item.content_type,
        as_attachment=True,
        filename=item.original_name,
    )
    result["X-Content-Type-Options"] = "nosniff"
    result["Cache-Control"] = NO_STORE
    # As the web download: a file opened in the browser runs nothing and loads nothing.
    result["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return result


@router.get("/{patient_id}/team", response=list[MemberOut], summary="ケアチームのメンバー")
def list_team(request, patient_id: int, response: HttpResponse):
    _guard(request, response)
    patient, access = _patient_and_access(request, patient_id)
    services.log(request, patient, AccessLog.Action.VIEW, "care_team", patient.pk, access=access)
    return [
        {
            "membership_id": member.pk,
            "user_id": member.user_id,
            "name": member.user.get_full_name(),
            "organization": member.user.organization.name,
            "team_role": member.team_role,
            "joined_at": member.joined_at,
        }
        for member in services.current_members(patient)
    ]


@router.post("/{patient_id}/team", response={201: MemberOut}, summary="ケアチームに招待する")
def invite_member(request, patient_id: int, payload: InviteIn, response: HttpResponse):
    _guard(request, response)
    patient, _ = _patient_and_access(request, patient_id, "can_manage")
    invitee = User.objects.filter(pk=payload.user_id).select_related("organization").first()
    if invitee is None:
        raise HttpError(404, "招待する方が見つかりません。")
    try:
        member = services.invite(request, request.user, patient, invitee, payload.team_role)
    except services.SharingError as exc:
        return error_response(request, 400, "validation_error", str(exc))
    return {
        "membership_id": member.pk,
        "user_id": invitee.pk,
        "name": invitee.get_full_name(),
        "organization": invitee.organization.name,
        "team_role": member.team_role,
        "joined_at": member.joined_at,
    }


class ConsentIn(Schema):
    given_by: str
    relationship: str = "本人"
    given_on: date
    method: Consent.Method
    scope_roles: list[TeamRole] = []
    scope: str = ""


class ConsentOut(Schema):
    id: int
    given_by: str
    relationship: str
    given_on: date
    method: str
    scope_roles: list[str]
    scope: str
    recorded_at: datetime


class WithdrawIn(Schema):
    note: str


class WithdrawOut(Schema):
    ended_memberships: int


class EmergencyIn(Schema):
    reason: str


class EmergencyOut(Schema):
    id: int
    starts_at: datetime
    expires_at: datetime


@router.post(
    "/{patient_id}/consent", response={201: ConsentOut}, summary="同意を記録する（スキャンは画面から）"
)
def record_consent(request, patient_id: int, payload: ConsentIn, response: HttpResponse):
    _guard(request, response)
    patient, _ = _patient_and_access(request, patient_id, "can_record_consent")
    data = payload.dict()
    data["scope_roles"] = [str(role) for role in data["scope_roles"]]
    try:
        consent = services.record_consent(request, request.user, patient, data)
    except services.SharingError as exc:
        return error_response(request, 409, "consent_exists", str(exc))
    except ValidationError as exc:
        return error_response(
            request,
            400,
            "validation_error",
            "入力内容に誤りがあります。",
            [{"location": name, "message": " ".join(errors)} for name, errors in exc.message_dict.items()],
        )
    return consent


@router.post("/{patient_id}/consent/withdraw", response=WithdrawOut, summary="同意の撤回を記録する")
def withdraw_consent(request, patient_id: int, payload: WithdrawIn, response: HttpResponse):
    _guard(request, response)
    patient, _ = _patient_and_access(request, patient_id, "can_record_consent")
    if not payload.note.strip():
        return error_response(request, 400, "validation_error", "撤回の経緯を入力してください。")
    try:
        ended = services.withdraw_consent(request, request.user, patient, payload.note.strip())
    except services.SharingError as exc:
        return error_response(request, 409, "no_consent", str(exc))
    return {"ended_memberships": ended}


@router.delete("/{patient_id}/team/{membership_id}", response={204: None}, summary="チームから外す・脱退する")
def end_membership(request, patient_id: int, membership_id: int, response: HttpResponse):
    """Leave the team (one's own membership) or, as the owner, remove a member. Who may ask is
    decided on the patient first, so a stranger learns nothing about membership ids."""
    _guard(request, response)
    patient = get_object_or_404(Patient.objects.select_related("organization__municipality"), pk=patient_id)
    access = permissions.patient_access(request.user, patient)
    if access.can_manage:
        membership = get_object_or_404(CareTeamMembership, pk=membership_id, patient=patient, left_at=None)
    else:
        membership = permissions.current_membership(request.user, patient)
        if membership is None or membership.pk != membership_id:
            services.log(request, patient, AccessLog.Action.DENIED, access=access)
            raise PermissionDenied
    if membership.user_id == request.user.pk:
        reason = CareTeamMembership.EndReason.LEFT
    else:
        reason = CareTeamMembership.EndReason.REMOVED
    try:
        services.end_membership(request, request.user, membership, reason)
    except services.SharingError as exc:
        return error_response(request, 409, "last_owner_member", str(exc))
    return None


@router.post("/{patient_id}/emergency-access", response={201: EmergencyOut}, summary="緊急アクセス（4時間）")
def break_glass(request, patient_id: int, payload: EmergencyIn, response: HttpResponse):
    _guard(request, response)
    patient = get_object_or_404(Patient.objects.select_related("organization__municipality"), pk=patient_id)
    if not permissions.can_break_glass(request.user, patient):
        services.log(request, patient, AccessLog.Action.DENIED)
        raise PermissionDenied
    try:
        access = services.break_glass(request, request.user, patient, payload.reason)
    except services.SharingError as exc:
        return error_response(request, 400, "validation_error", str(exc))
    return {"id": access.pk, "starts_at": access.starts_at, "expires_at": access.expires_at}
