"""One-time FHIR download links for a hospital not on Renkei: signed (Django's signing, naming one
:class:`DocumentLink`), valid for :data:`LINK_HOURS`, used up by the first download. Issuing (with its
expiry) and every download are written to the access log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from renkei.core import permissions
from renkei.core.audit import record_access
from renkei.core.models import AccessLog, User
from renkei.transitions.fhir_export import bundle_json
from renkei.transitions.models import RENKEI_KINDS, DocumentLink, TransitionDocument
from renkei.transitions.services._common import TransitionError
from renkei.transitions.services.documents import document_for

LINK_SALT = "renkei.transitions.fhir-link"
LINK_HOURS = 72
INVALID = "このリンクは使えません（期限切れ、使用済み、または正しくないリンクです）。送り主に新しいリンクを依頼してください。"


class LinkRefused(TransitionError):
    code = "link_refused"
    status = 404


def _log(actor: User | None, link: DocumentLink, action: str, reason: str) -> None:
    record_access(
        actor,
        action=action,
        subject_type="patient",
        subject_id=link.document.patient_id,
        object_type="fhir_link",
        object_id=link.pk,
        reason=reason,
    )


def link_url(link: DocumentLink) -> str:
    token = signing.dumps(link.pk, salt=LINK_SALT, compress=False)
    return settings.SITE_URL.rstrip("/") + reverse("transitions:download_link", args=[token])


def issue_link(actor: User, pk: int, *, now: datetime | None = None) -> tuple[DocumentLink, str]:
    document = document_for(actor, pk)
    episode = document.episode
    if (
        document.kind not in RENKEI_KINDS
        or episode is None
        or not permissions.can_write_document(actor, episode, document.kind)
    ):
        raise PermissionDenied
    now = now or timezone.now()
    link = DocumentLink.objects.create(
        document=document, created_by=actor, expires_at=now + timedelta(hours=LINK_HOURS)
    )
    expiry = timezone.localtime(link.expires_at).strftime("%Y-%m-%d %H:%M")
    _log(actor, link, AccessLog.Action.EXPORT, f"一回限りのFHIRリンクを発行（有効期限 {expiry}）")
    return link, link_url(link)


def download(token: str, *, now: datetime | None = None) -> tuple[TransitionDocument, dict[str, Any]]:
    """The Bundle behind a link, once. Nobody is logged in: the log names the link."""
    now = now or timezone.now()
    try:
        pk = signing.loads(token, salt=LINK_SALT, max_age=timedelta(hours=LINK_HOURS + 1))
    except signing.BadSignature:  # SignatureExpired included
        raise LinkRefused(INVALID) from None
    link = (
        DocumentLink.objects.select_related(
            "document__episode__hospital_facility", "document__author__organization"
        )
        .filter(pk=pk)
        .first()
    )
    if link is None:
        raise LinkRefused(INVALID)
    bundle = bundle_json(link.document)
    if not DocumentLink.objects.filter(pk=pk, used_at=None, expires_at__gt=now).update(used_at=now):
        _log(None, link, AccessLog.Action.DENIED, "一回限りのFHIRリンク（期限切れまたは使用済み）")
        raise LinkRefused(INVALID)
    _log(None, link, AccessLog.Action.DOWNLOAD, "一回限りのFHIRリンクでダウンロード")
    return link.document, bundle
