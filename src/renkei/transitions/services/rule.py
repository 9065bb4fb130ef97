"""The region's 入退院調整ルール, set by its administrators; open episodes follow a changed rule."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from renkei.core import permissions
from renkei.core.models import Region, User
from renkei.transitions.deadlines import rule_for
from renkei.transitions.models import TransitionRule
from renkei.transitions.services._common import TransitionError
from renkei.transitions.services.episodes import recompute_region

FIELDS = (
    "office_opens",
    "office_closes",
    "admission_sheet_days",
    "admission_sheet_business_days",
    "discharge_contact_days",
    "calendar",
)


@transaction.atomic
def save_rule(actor: User, region: Region, data: dict[str, Any]) -> TransitionRule:
    if not permissions.can_set_transition_rule(actor, region):
        raise PermissionDenied
    rule = rule_for(region)
    for name in FIELDS:
        if name in data:
            setattr(rule, name, data[name])
    if rule.office_opens >= rule.office_closes:
        raise TransitionError("営業終了は営業開始より後の時刻にしてください。", "office_closes")
    if not 0 <= rule.admission_sheet_days <= 14:
        raise TransitionError("入院時情報提供の期限は0〜14日で入力してください。", "admission_sheet_days")
    if not 1 <= rule.discharge_contact_days <= 30:
        raise TransitionError("退院前の連絡は1〜30営業日前で入力してください。", "discharge_contact_days")
    rule.region = region
    rule.updated_by = actor
    rule.save()
    recompute_region(region.pk)
    return rule
