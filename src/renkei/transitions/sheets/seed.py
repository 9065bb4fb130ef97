"""The 多職種連携シート as the first sheet definition: the same fields, labels and choices as the fixed
sheet of care-team sharing (:class:`renkei.sharing.models.CollaborationSheet`), published as a
region's version 1. Every region has it: migration ``transitions.0004`` seeds the regions there
were, :func:`seed_new_region` each region created after (connected in the app's ``ready``);
``renkei transitions seed-sheets`` puts it back where it was deleted. It creates nothing the second
time."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from renkei.core.models import Region
from renkei.sharing.models import COLLABORATION_SHEET_KEY as COLLABORATION_KEY
from renkei.sharing.models import COLLABORATION_SHEET_NAME as COLLABORATION_NAME
from renkei.sharing.models import PROCEDURE_CHOICES, AdlLevel, CollaborationSheet
from renkei.transitions.models import SheetDefinition, SheetStatus, SheetVersion
from renkei.transitions.sheets import schema


def _label(name: str) -> str:
    return str(CollaborationSheet._meta.get_field(name).verbose_name)  # type: ignore[union-attr]  # plain columns


def collaboration_fields() -> list[dict[str, Any]]:
    adl = [label for _, label in AdlLevel.choices]

    def text(key: str, kind: str, required: bool) -> dict[str, Any]:
        return {"key": key, "label": _label(key), "kind": kind, "required": required}

    return [
        text("recipient", schema.SHORT_TEXT, False),
        text("current_status", schema.LONG_TEXT, True),
        *[
            {"key": key, "label": _label(key), "kind": schema.CHOICE, "required": True, "choices": adl}
            for key in CollaborationSheet.ADL_FIELDS
        ],
        text("adl_notes", schema.LONG_TEXT, False),
        {
            "key": "procedures",
            "label": _label("procedures"),
            "kind": schema.MULTIPLE_CHOICE,
            "required": False,
            "choices": [label for _, label in PROCEDURE_CHOICES],
        },
        text("procedures_notes", schema.LONG_TEXT, False),
        text("request", schema.LONG_TEXT, True),
        text("contact_person", schema.SHORT_TEXT, True),
        text("contact_phone", schema.SHORT_TEXT, False),
    ]


@transaction.atomic
def seed_collaboration_sheet(
    region: Region, definition_model: Any = SheetDefinition, version_model: Any = SheetVersion
) -> tuple[SheetDefinition, bool]:
    """The region's 多職種連携シート definition, published; ``True`` when created now. A data
    migration passes its historical models (and a historical ``region``)."""
    existing = definition_model.objects.filter(region=region, key=COLLABORATION_KEY).first()
    if existing is not None:
        return existing, False
    fields = collaboration_fields()
    assert not schema.definition_errors(fields), schema.definition_errors(fields)
    definition = definition_model.objects.create(
        region=region, key=COLLABORATION_KEY, name=COLLABORATION_NAME
    )
    version_model.objects.create(
        definition=definition,
        number=1,
        fields=fields,
        status=SheetStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    return definition, True


def seed_new_region(sender: Any, instance: Region, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """``post_save`` receiver for regions: a new region has the 多職種連携シート from its first day
    (regions that existed before are seeded by migration ``transitions.0004``)."""
    if created and not raw:
        seed_collaboration_sheet(instance)
