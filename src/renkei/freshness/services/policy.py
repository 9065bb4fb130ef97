"""How long an entry of a region stays fresh, and what state each entry is in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from renkei.core import permissions
from renkei.core.models import Region
from renkei.directory.catalog import FacilityStatus
from renkei.directory.models import Facility
from renkei.freshness.models import FreshnessPolicy


def policy_for(region: Region | None) -> FreshnessPolicy:
    """The region's policy, or the defaults (unsaved) when it has none."""
    if region is not None:
        policy = FreshnessPolicy.objects.filter(region=region).first()
        if policy is not None:
            return policy
    return FreshnessPolicy(region=region)


def policies(region_ids: set[int | None]) -> dict[int | None, FreshnessPolicy]:
    """The policy of each region (the defaults where it has none, and under ``None``)."""
    found: dict[int | None, FreshnessPolicy] = {
        p.region_id: p
        for p in FreshnessPolicy.objects.filter(region_id__in=[rid for rid in region_ids if rid is not None])
    }
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


def annotate_freshness(facilities: Sequence[Facility], now: datetime | None = None) -> None:
    """Set ``freshness`` on each facility (its municipality loaded) for the templates."""
    now = now or timezone.now()
    found = policies({f.municipality.region_id for f in facilities})
    for facility in facilities:
        facility.freshness = freshness_state(  # type: ignore[attr-defined]  # read by the templates
            facility, found[facility.municipality.region_id], now
        )


def save_policy(region: Region, user, values: dict[str, Any]) -> FreshnessPolicy:
    if not permissions.can_edit_freshness_policy(user, region):
        raise PermissionDenied("この圏域の設定を変更する権限がありません。")
    policy, _ = FreshnessPolicy.objects.update_or_create(region=region, defaults=values)
    return policy
