"""入退院 coordination for machines: /api/v1/transitions/… (episodes, the overdue dashboard) and
/api/v1/patients/{id}/episodes, the same services and permission functions as the pages. Personal
token or a session that passed the second factor; every answer carries ``Cache-Control: no-store``."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from ninja import Field, Router, Schema

from renkei.core import permissions
from renkei.core.api_auth import REQUIRED
from renkei.core.audit import record_access
from renkei.core.http import AuthenticatedHttpRequest, no_store
from renkei.core.models import AccessLog, User
from renkei.core.services import RuleError
from renkei.core.two_factor import second_factor_router
from renkei.directory.models import Facility
from renkei.sharing.services import patient_for
from renkei.transitions import services
from renkei.transitions.fhir_import import MAX_BYTES, FhirRefused
from renkei.transitions.models import Episode, EpisodeStatus, TransitionDocument

router = second_factor_router(Router(tags=["transitions（入退院調整）"], auth=REQUIRED))
router.add_decorator(no_store, mode="view")
patients_router = second_factor_router(Router(tags=["transitions（入退院調整）"], auth=REQUIRED))
patients_router.add_decorator(no_store, mode="view")
ROUTERS = [("/transitions", router), ("/patients", patients_router)]


class DueOut(Schema):
    kind: str
    label: str
    due: date | None
    done_at: datetime | None
    overdue: bool


class EpisodeOut(Schema):
    id: int
    patient_id: int
    hospital_name: str
    hospital_facility_id: int | None
    ward: str
    admitted_at: datetime
    expected_discharge: date | None
    discharged_on: date | None
    status: str
    liaison_name: str
    liaison_phone: str
    liaison_user_id: int | None
    care_manager_id: int | None
    admission_bonus_due: date
    due: list[DueOut]


class EpisodeIn(Schema):
    hospital_facility_id: int | None = None
    hospital_name: str = ""
    ward: str = ""
    admitted_at: datetime
    expected_discharge: date | None = None
    discharged_on: date | None = None
    status: EpisodeStatus = EpisodeStatus.ADMITTED
    liaison_name: str = ""
    liaison_phone: str = ""
    liaison_user_id: int | None = None
    care_manager_id: int | None = None


class OverdueOut(Schema):
    episode_id: int
    patient_id: int
    patient_name: str
    kind: str
    due: date
    days_over: int
    hospital: str
    care_manager: str


def episode_out(episode: Episode) -> dict[str, Any]:
    out = {name: getattr(episode, name) for name in EpisodeOut.model_fields if name not in ("id", "due")}
    return out | {"id": episode.pk, "due": [item.__dict__ for item in services.due_items(episode)]}


def _referenced(payload: EpisodeIn) -> dict[str, Any]:
    """The payload with its ids turned into rows; an id naming nothing is a field error."""
    data = payload.dict(exclude={"hospital_facility_id", "liaison_user_id", "care_manager_id"})
    for name, model in (("hospital_facility", Facility), ("liaison_user", User), ("care_manager", User)):
        pk = getattr(payload, f"{name}_id")
        found = model.objects.filter(pk=pk).first() if pk is not None else None
        if pk is not None and found is None:
            raise RuleError("指定されたIDが見つかりません。", f"{name}_id")
        data[name] = found
    return data


@patients_router.get("/{patient_id}/episodes", response=list[EpisodeOut], summary="利用者の入院の一覧")
def list_episodes(request: AuthenticatedHttpRequest, patient_id: int) -> list[dict[str, Any]]:
    patient, access = patient_for(request.user, patient_id)
    record_access(
        request.user,
        action=AccessLog.Action.VIEW,
        subject_type="patient",
        subject_id=patient.pk,
        object_type="episode",
        flagged=access.emergency_view,
    )
    return [episode_out(episode) for episode in services.patient_episodes(patient)]


@patients_router.post("/{patient_id}/episodes", response={201: EpisodeOut}, summary="入院を記録する")
def create_episode(request: AuthenticatedHttpRequest, patient_id: int, payload: EpisodeIn):
    episode = services.create_episode(request.user, patient_id, _referenced(payload))
    return episode_out(episode)


@router.get("/episodes/{episode_id}", response=EpisodeOut, summary="入院の記録と期限")
def get_episode(request: AuthenticatedHttpRequest, episode_id: int) -> dict[str, Any]:
    episode, _ = services.read_episode(request.user, episode_id)
    return episode_out(episode)


@router.put("/episodes/{episode_id}", response=EpisodeOut, summary="入院の記録を変更する")
def update_episode(request: AuthenticatedHttpRequest, episode_id: int, payload: EpisodeIn) -> dict[str, Any]:
    return episode_out(services.update_episode(request.user, episode_id, _referenced(payload)))


@router.get("/overdue", response=list[OverdueOut], summary="期限を過ぎた項目（見られる利用者の入院）")
def overdue(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    if not permissions.can_have_patients(request.user):
        raise PermissionDenied
    return [item.__dict__ for item in services.overdue_dashboard(request.user).items]


class DocumentIn(Schema):
    kind: str
    content: dict[str, str]


class DocumentOut(Schema):
    id: int
    patient_id: int
    episode_id: int | None
    kind: str
    source: str
    content: dict[str, Any]
    created_at: datetime
    sent_at: datetime | None


def document_out(document: TransitionDocument) -> dict[str, Any]:
    return {name: getattr(document, name) for name in DocumentOut.model_fields if name != "id"} | {
        "id": document.pk
    }


@router.post("/episodes/{episode_id}/documents", response={201: DocumentOut}, summary="文書を作成する")
def create_document(
    request: AuthenticatedHttpRequest, episode_id: int, payload: DocumentIn
) -> dict[str, Any]:
    return document_out(services.create_document(request.user, episode_id, payload.kind, payload.content))


@router.get("/documents/{document_id}", response=DocumentOut, summary="文書（入院時情報提供書など）")
def get_document(request: AuthenticatedHttpRequest, document_id: int) -> dict[str, Any]:
    return document_out(services.read_document(request.user, document_id))


@router.post(
    "/documents/{document_id}/send", response=DocumentOut, summary="入院時情報提供書を地域連携室へ送る"
)
def send_document(request: AuthenticatedHttpRequest, document_id: int) -> dict[str, Any]:
    return document_out(services.send_document(request.user, document_id))


class ImportedOut(Schema):
    document_id: int
    kind: str
    patient: dict[str, Any]
    from_: dict[str, str] = Field(alias="from")
    to: dict[str, str]
    conditions: list[str]
    allergies: list[str]
    medications: list[str]


def _bounded_body(request: AuthenticatedHttpRequest) -> bytes:
    """The request's body, refused by its declared length before anything is read or parsed."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BYTES:
        raise FhirRefused(
            f"ファイルが大きすぎます（{MAX_BYTES // 1024 // 1024}MBまで）。",
            "file",
            code="fhir_too_large",
            status=413,
        )
    return request.body


@router.get("/documents/{document_id}/fhir", summary="文書をFHIR Bundle（document）で出力する")
def export_fhir(request: AuthenticatedHttpRequest, document_id: int) -> HttpResponse:
    bundle = services.export_document(request.user, document_id)
    return HttpResponse(
        json.dumps(bundle, ensure_ascii=False), content_type="application/fhir+json; charset=utf-8"
    )


@patients_router.post(
    "/{patient_id}/documents/fhir",
    response={201: ImportedOut},
    by_alias=True,
    summary="FHIR文書（Bundle, type=document）を利用者の記録に取り込む（本文にJSON）",
)
def import_fhir(
    request: AuthenticatedHttpRequest, patient_id: int, episode_id: int | None = None
) -> dict[str, Any]:
    raw = _bounded_body(request)
    if episode_id is not None:
        episode, _ = services.episode_for(request.user, episode_id, "can_edit")
        if episode.patient_id != patient_id:
            raise RuleError("入院がこの利用者のものではありません。", "episode_id")
        document = services.import_document(request.user, raw, episode_pk=episode_id)
    else:
        document = services.import_document(request.user, raw, patient_pk=patient_id)
    return services.import_summary(document)
