"""One-time FHIR download links for a hospital not on Renkei: signed (Django's signing, naming one
:class:`DocumentLink`), valid for :data:`LINK_HOURS`, used up by the first download. Issuing (with its
expiry), every download, every refusal and a revocation are written to the access log.

A link stops working when it expires, when it has been used, when the sender (or their organisation)
revokes it, and when a consent of the patient was withdrawn after it was made (the record may no
longer be shared as it was when the link was given). The holder is told the same thing each time:
the link names a patient, and whoever holds it learns nothing more about why it failed."""

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
from renkei.sharing.models import Consent
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


def revoke_link(actor: User, pk: int, *, now: datetime | None = None) -> DocumentLink:
    """Revoke a link not used yet; logged. A used or already revoked link is refused."""
    link = DocumentLink.objects.select_related("document", "created_by").filter(pk=pk).first()
    if link is None or not permissions.can_revoke_link(actor, link):
        raise PermissionDenied
    now = now or timezone.now()
    if not DocumentLink.objects.filter(pk=pk, used_at=None, revoked_at=None).update(
        revoked_at=now, revoked_by=actor
    ):
        raise TransitionError("このリンクはすでに使われたか、取り消されています。", code="link_not_revocable")
    link.refresh_from_db()
    _log(actor, link, AccessLog.Action.UPDATE, "一回限りのFHIRリンクを取り消し")
    return link


def _refusal(link: DocumentLink, now: datetime) -> str | None:
    """Why the link may not be used now (for the log), or None."""
    if link.revoked_at is not None:
        return "一回限りのFHIRリンク（取り消し済み）"
    if link.used_at is not None or link.expires_at <= now:
        return "一回限りのFHIRリンク（期限切れまたは使用済み）"
    withdrawn = Consent.objects.filter(
        patient_id=link.document.patient_id, withdrawn_at__gt=link.created_at
    ).exists()
    if withdrawn:
        return "一回限りのFHIRリンク（発行後に同意が撤回されたため拒否）"
    return None


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
    refused = _refusal(link, now)
    if refused is None:
        bundle = bundle_json(link.document)
        usable = DocumentLink.objects.filter(pk=pk, used_at=None, revoked_at=None, expires_at__gt=now)
        if not usable.update(used_at=now):  # used or revoked meanwhile
            link.refresh_from_db()
            refused = _refusal(link, now)
    if refused is not None:
        _log(None, link, AccessLog.Action.DENIED, refused)
        raise LinkRefused(INVALID)
    _log(None, link, AccessLog.Action.DOWNLOAD, "一回限りのFHIRリンクでダウンロード")
    return link.document, bundle
