"""Keep the cover table's summary in step with the directory, in the writing transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from renkei.continuity.services import cover_summary
from renkei.directory.models import Facility
from renkei.directory.signals import facilities_imported


@receiver(pre_save, sender=Facility, dispatch_uid="continuity_cover_before")
def _before_save(sender: Any, instance: Facility, **kwargs: Any) -> None:
    # What the row holds before this save: the counts it leaves.
    instance._cover_before = cover_summary.stored_values(instance.pk) if instance.pk else None  # type: ignore[attr-defined]  # a note carried from pre_save to post_save


@receiver(post_save, sender=Facility, dispatch_uid="continuity_cover_after")
def _after_save(sender: Any, instance: Facility, **kwargs: Any) -> None:
    before = getattr(instance, "_cover_before", None)
    cover_summary.facility_changed(before, cover_summary.instance_values(instance))


@receiver(post_delete, sender=Facility, dispatch_uid="continuity_cover_deleted")
def _after_delete(sender: Any, instance: Facility, **kwargs: Any) -> None:
    cover_summary.facility_changed(cover_summary.instance_values(instance), None)


@receiver(facilities_imported, dispatch_uid="continuity_cover_imported")
def _after_import(sender: Any, municipality_ids: list[int], **kwargs: Any) -> None:
    cover_summary.recompute(municipality_ids)
