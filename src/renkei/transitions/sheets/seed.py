"""The 多職種連携シート as the first sheet definition: the same fields, labels and choices as the fixed
sheet of care-team sharing (:class:`renkei.sharing.models.CollaborationSheet`), published as a
region's version 1. ``renkei transitions seed-sheets`` and the demo data call it; it creates nothing
the second time."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from renkei.core.models import Region
from renkei.sharing.models import PROCEDURE_CHOICES, AdlLevel, CollaborationSheet
from renkei.transitions.models import SheetDefinition, SheetStatus, SheetVersion
from renkei.transitions.sheets import schema

COLLABORATION_KEY = "collaboration-sheet"
COLLABORATION_NAME = "多職種連携シート"


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
def seed_collaboration_sheet(region: Region) -> tuple[SheetDefinition, bool]:
    """The region's 多職種連携シート definition, published; ``True`` when created now."""
    existing = SheetDefinition.objects.filter(region=region, key=COLLABORATION_KEY).first()
    if existing is not None:
        return existing, False
    fields = collaboration_fields()
    assert not schema.definition_errors(fields), schema.definition_errors(fields)
    definition = SheetDefinition.objects.create(region=region, key=COLLABORATION_KEY, name=COLLABORATION_NAME)
    SheetVersion.objects.create(
        definition=definition,
        number=1,
        fields=fields,
        status=SheetStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    return definition, True
