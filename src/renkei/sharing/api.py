"""Care-team sharing for machines: /api/v1/patients/…, the same services and permission functions
as the pages. Every operation needs a personal token or a session that passed the second factor,
and every response carries ``Cache-Control: no-store``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile

from renkei.core import permissions
from renkei.core.api_auth import REQUIRED
from renkei.core.http import AuthenticatedHttpRequest, no_store
from renkei.core.models import User
from renkei.core.services import RuleError
from renkei.core.two_factor import second_factor_router
from renkei.sharing import files, post_parts, services
from renkei.sharing.models import (
    COLLABORATION_SHEET_KEY,
    COLLABORATION_SHEET_NAME,
    CareLevel,
    CareTeamMembership,
    Consent,
    EmergencyCategory,
    Patient,
    Post,
    PostCategory,
    TeamRole,
)
from renkei.sharing.services.timeline import MAX_PAGE

PREFIX = "/patients"
# A page number is bounded: a huge one would overflow the database's OFFSET (a 500 before).
Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"1〜{MAX_PAGE}")]


router = second_factor_router(Router(tags=["patients（ケアチーム）"], auth=REQUIRED))
router.add_decorator(no_store, mode="view")


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


class SheetOut(Schema):
    key: str
    name: str
    version: int | None


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
    sheet: SheetOut | None
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


class PatientPage(Schema):
    page: int
    has_next: bool
    count: int
    items: list[PatientSummary]


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


class EmergencySearchIn(Schema):
    full_name_kana: str = Field(max_length=100)
    birth_date: date


class EmergencyFound(Schema):
    id: int
    organization: str


class EmergencyIn(Schema):
    full_name_kana: str = Field(max_length=100)
    birth_date: date
    category: EmergencyCategory
    reason: str = Field(max_length=2000)


class EmergencyOut(Schema):
    id: int
    starts_at: datetime
    expires_at: datetime


def _patient_out(patient: Patient) -> dict[str, Any]:
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


def _sheet_out(post: Post) -> dict[str, Any] | None:
    """The sheet the post carries: a defined sheet, or one written with the old fixed form."""
    if hasattr(post, "sheet"):
        return {"key": COLLABORATION_SHEET_KEY, "name": COLLABORATION_SHEET_NAME, "version": None}
    return post_parts.sheet_of(post)


def _post_out(entry: services.TimelineEntry) -> dict[str, Any]:
    post = entry.post
    sheet = _sheet_out(post)
    return {
        "id": post.pk,
        "parent_id": post.parent_id,
        "author": post.author.get_full_name(),
        "organization": post.author.organization.name if post.author.organization else "",
        "category": post.category,
        "urgent": post.urgent,
        "body": post.body,
        "created_at": post.created_at,
        "is_collaboration_sheet": sheet is not None and sheet["key"] == COLLABORATION_SHEET_KEY,
        "sheet": sheet,
        "read_count": entry.read_count,
        "audience": entry.audience,
        "attachments": [
            {"id": item.pk, "name": item.original_name, "content_type": item.content_type, "size": item.size}
            for item in post.attachments.all()
        ],
    }


def _member_out(member: CareTeamMembership) -> dict[str, Any]:
    return {
        "membership_id": member.pk,
        "user_id": member.user_id,
        "name": member.user.get_full_name(),
        "organization": member.organization.name if member.organization else "",
        "team_role": member.team_role,
        "joined_at": member.joined_at,
    }


HOME_PAGE_SIZE = 50
DUPLICATE = (
    "同じふりがな・生年月日の利用者が圏域内ですでに登録されています。"
    "別の方であれば confirm_not_duplicate を true にしてください。"
)


@router.get(
    "/", response=PatientPage, summary="担当している利用者の一覧（未読数つき、至急・未読の順、50件ずつ）"
)
def list_patients(request: AuthenticatedHttpRequest, page: Page = 1) -> dict[str, Any]:
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
def create_patient(request: AuthenticatedHttpRequest, payload: PatientIn) -> dict[str, Any]:
    if not permissions.can_register_patient(request.user):
        raise PermissionDenied
    region = permissions.home_region(request.user)
    municipality = region.municipalities.filter(code=payload.municipality_code).first() if region else None
    if municipality is None:
        raise RuleError(
            "市町村コードが圏域の市町村ではありません。",
            errors=[
                {
                    "field": "municipality_code",
                    "location": "body.payload.municipality_code",
                    "message": "圏域の市町村コードを指定してください。",
                }
            ],
        )
    data = payload.dict(exclude={"municipality_code", "team_role", "confirm_not_duplicate"})
    data["municipality"] = municipality
    try:
        patient = services.register_patient(
            request.user,
            data,
            team_role=payload.team_role,
            confirmed_not_duplicate=payload.confirm_not_duplicate,
        )
    except services.SharingError as exc:
        if exc.code == "possible_duplicate":
            raise RuleError(DUPLICATE, errors=[], code="possible_duplicate", status=409) from None
        raise
    return _patient_out(patient)


@router.post(
    "/emergency-search", response=list[EmergencyFound], summary="緊急アクセス: ふりがなと生年月日で記録を探す"
)
def emergency_search(request: AuthenticatedHttpRequest, payload: EmergencySearchIn) -> list[dict[str, Any]]:
    """Posted, never in the address: the search holds a name and a birth date."""
    found = services.find_for_emergency(request.user, payload.full_name_kana, payload.birth_date)
    return [{"id": patient.pk, "organization": patient.organization.name} for patient in found]


@router.get("/{patient_id}", response=PatientOut, summary="利用者の基本情報")
def get_patient(request: AuthenticatedHttpRequest, patient_id: int) -> dict[str, Any]:
    patient, access = services.patient_for(request.user, patient_id)
    return _patient_out(services.view_patient(request.user, patient, access=access))


@router.get("/{patient_id}/posts", response=PostPage, summary="タイムライン（新しい順、返信つき）")
def list_posts(request: AuthenticatedHttpRequest, patient_id: int, page: Page = 1) -> dict[str, Any]:
    patient, access = services.patient_for(request.user, patient_id)
    timeline = services.timeline_page(request.user, patient, access, page)
    items = []
    for entry in timeline.entries:
        items.append(_post_out(entry))
        items.extend(_post_out(reply) for reply in entry.replies)
    return {"page": timeline.number, "has_next": timeline.has_next, "items": items}


@router.get("/{patient_id}/posts/{post_id}", response=PostOut, summary="投稿1件")
def get_post(request: AuthenticatedHttpRequest, patient_id: int, post_id: int) -> dict[str, Any]:
    patient, access = services.patient_for(request.user, patient_id)
    return _post_out(services.read_post(request.user, patient, access, post_id))


@router.post(
    "/{patient_id}/posts", response={201: PostOut}, summary="タイムラインに投稿する（添付ファイル可）"
)
def create_post(
    request: AuthenticatedHttpRequest,
    patient_id: int,
    payload: Form[PostIn],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # Ninja's optional upload list
) -> dict[str, Any]:
    patient, _ = services.patient_for(request.user, patient_id, "can_post")
    parent = None
    if payload.parent_id is not None:
        parent = Post.objects.filter(pk=payload.parent_id, patient=patient, parent=None).first()
        if parent is None:
            raise HttpError(404, "返信先の投稿が見つかりません。")
    post = services.create_post(
        request.user,
        patient,
        category=payload.category,
        body=payload.body,
        urgent=payload.urgent,
        parent=parent,
        uploads=attachments or [],
    )
    return _post_out(
        services.TimelineEntry(post=post, audience=services.current_members(patient).count() - 1)
    )


@router.get("/{patient_id}/attachments/{attachment_id}", summary="添付ファイルをダウンロードする")
def download_attachment(
    request: AuthenticatedHttpRequest, patient_id: int, attachment_id: int
) -> FileResponse:
    patient, access = services.patient_for(request.user, patient_id)
    item = services.open_attachment(request.user, patient, attachment_id, access=access)
    # As the web download: a file opened in the browser runs nothing and loads nothing.
    return files.download(item.stored_name, item.content_type, item.original_name)


@router.get("/{patient_id}/team", response=list[MemberOut], summary="ケアチームのメンバー")
def list_team(request: AuthenticatedHttpRequest, patient_id: int) -> list[dict[str, Any]]:
    patient, access = services.patient_for(request.user, patient_id)
    members, _former = services.care_team(request.user, patient, access=access)
    return [_member_out(member) for member in members]


@router.post("/{patient_id}/team", response={201: MemberOut}, summary="ケアチームに招待する")
def invite_member(request: AuthenticatedHttpRequest, patient_id: int, payload: InviteIn) -> dict[str, Any]:
    patient, _ = services.patient_for(request.user, patient_id, "can_manage")
    invitee = User.objects.filter(pk=payload.user_id).select_related("organization").first()
    if invitee is None:
        raise HttpError(404, "招待する方が見つかりません。")
    return _member_out(services.invite(request.user, patient, invitee, payload.team_role))


@router.post(
    "/{patient_id}/consent", response={201: ConsentOut}, summary="同意を記録する（スキャンは画面から）"
)
def record_consent(request: AuthenticatedHttpRequest, patient_id: int, payload: ConsentIn) -> Consent:
    patient, _ = services.patient_for(request.user, patient_id, "can_record_consent")
    data = payload.dict()
    data["scope_roles"] = [str(role) for role in data["scope_roles"]]
    return services.record_consent(request.user, patient, data)


@router.post("/{patient_id}/consent/withdraw", response=WithdrawOut, summary="同意の撤回を記録する")
def withdraw_consent(
    request: AuthenticatedHttpRequest, patient_id: int, payload: WithdrawIn
) -> dict[str, int]:
    patient, _ = services.patient_for(request.user, patient_id, "can_record_consent")
    if not payload.note.strip():
        raise RuleError("撤回の経緯を入力してください。", errors=[])
    ended = services.withdraw_consent(request.user, patient, payload.note.strip())
    return {"ended_memberships": ended}


@router.delete("/{patient_id}/team/{membership_id}", response={204: None}, summary="チームから外す・脱退する")
def end_membership(request: AuthenticatedHttpRequest, patient_id: int, membership_id: int) -> None:
    """Leave the team (one's own membership) or, as the owner, remove a member."""
    services.end_membership_by_id(request.user, patient_id, membership_id)


@router.post("/{patient_id}/emergency-access", response={201: EmergencyOut}, summary="緊急アクセス（4時間）")
def break_glass(request: AuthenticatedHttpRequest, patient_id: int, payload: EmergencyIn) -> dict[str, Any]:
    """The record must be one the same ふりがな and 生年月日 find (see emergency-search)."""
    lookup = services.EmergencyLookup(payload.full_name_kana, payload.birth_date, patient_id)
    access = services.break_glass(request.user, lookup, payload.category, payload.reason)
    return {"id": access.pk, "starts_at": access.starts_at, "expires_at": access.expires_at}
