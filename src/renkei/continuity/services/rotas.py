"""Keeping an organisation's on-call rota: the weekly slots and the exceptions to them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404

from renkei.continuity.models import OnCallRota, RotaException, RotaSlot
from renkei.continuity.services import duty
from renkei.continuity.services._common import ContinuityError, full_clean
from renkei.core import permissions
from renkei.core.business_days import local_date
from renkei.core.models import Organization, User

COVERAGE_DAYS = 7


def rota_for(actor: User, pk: int, *, edit: bool = False) -> OnCallRota:
    rota = get_object_or_404(OnCallRota.objects.select_related("organization__municipality"), pk=pk)
    allowed = permissions.can_edit_rota if edit else permissions.can_view_rota
    if not allowed(actor, rota.organization):
        raise PermissionDenied
    return rota


def _check_on_staff(rota: OnCallRota, user: User | None, field: str) -> None:
    if user is not None and (user.organization_id != rota.organization_id or not user.is_active):
        raise ContinuityError(f"当番には{rota.organization.name}の職員を選んでください。", field)


@transaction.atomic
def create_rota(actor: User, organization: Organization, data: dict[str, Any]) -> OnCallRota:
    if not permissions.can_edit_rota(actor, organization):
        raise PermissionDenied
    rota = OnCallRota(organization=organization, updated_by=actor, **data)
    _check_span(rota)
    full_clean(rota)
    rota.save()
    return rota


def _check_span(rota: OnCallRota) -> None:
    if rota.valid_until is not None and rota.valid_from and rota.valid_until < rota.valid_from:
        raise ContinuityError("適用終了日は適用開始日以降にしてください。", "valid_until")


@transaction.atomic
def update_rota(actor: User, rota: OnCallRota, data: dict[str, Any]) -> OnCallRota:
    if not permissions.can_edit_rota(actor, rota.organization):
        raise PermissionDenied
    for name, value in data.items():
        setattr(rota, name, value)
    rota.updated_by = actor
    _check_span(rota)
    full_clean(rota)
    rota.save()
    return rota


@transaction.atomic
def add_slot(actor: User, rota: OnCallRota, data: dict[str, Any]) -> RotaSlot:
    if not permissions.can_edit_rota(actor, rota.organization):
        raise PermissionDenied
    _check_on_staff(rota, data.get("user"), "user")
    slot = RotaSlot(rota=rota, **data)
    full_clean(slot)
    slot.save()
    OnCallRota.objects.filter(pk=rota.pk).update(updated_by=actor)
    return slot


@transaction.atomic
def add_exception(actor: User, rota: OnCallRota, data: dict[str, Any]) -> RotaException:
    if not permissions.can_edit_rota(actor, rota.organization):
        raise PermissionDenied
    _check_on_staff(rota, data.get("user"), "user")
    exception = RotaException(rota=rota, **data)
    full_clean(exception)
    if exception.ends_at <= exception.starts_at:
        raise ContinuityError("終了日時は開始日時より後にしてください。", "ends_at")
    exception.save()
    return exception


def remove_slot(actor: User, rota: OnCallRota, slot_id: int) -> None:
    if not permissions.can_edit_rota(actor, rota.organization):
        raise PermissionDenied
    get_object_or_404(RotaSlot, pk=slot_id, rota=rota).delete()


def remove_exception(actor: User, rota: OnCallRota, exception_id: int) -> None:
    if not permissions.can_edit_rota(actor, rota.organization):
        raise PermissionDenied
    get_object_or_404(RotaException, pk=exception_id, rota=rota).delete()


def organization_rotas(actor: User, organization: Organization) -> list[OnCallRota]:
    if not permissions.can_view_rota(actor, organization):
        raise PermissionDenied
    return duty.rotas_with_rules([organization.pk])


def week_coverage(actor: User, organization: Organization, start: datetime) -> list[duty.Duty]:
    """The organisation's duty over the 7 days from ``start``'s day (0:00), gaps and overlaps shown."""
    rotas = organization_rotas(actor, organization)
    first = duty.at(local_date(start), 0)
    return duty.coverage(rotas, first, first + timedelta(days=COVERAGE_DAYS))


def duty_now(actor: User, organization: Organization, moment: datetime) -> duty.Duty:
    return duty.on_duty(organization_rotas(actor, organization), moment)
