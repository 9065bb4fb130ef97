"""The 多職種連携シート as an A4 PDF (:func:`renkei.core.pdf.render_pdf`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Field
from django.utils import timezone

from renkei.core.pdf import render_pdf
from renkei.sharing.models import PROCEDURE_CHOICES, CollaborationSheet, Post


def _verbose_name(name: str) -> str:
    field = CollaborationSheet._meta.get_field(name)
    assert isinstance(field, Field)  # the ADL fields are plain columns, never relations
    return str(field.verbose_name)


def sheet_context(post: Post) -> dict[str, Any]:
    sheet = post.sheet
    labels = dict(PROCEDURE_CHOICES)
    return {
        "post": post,
        "sheet": sheet,
        "patient": post.patient,
        "adl": [(_verbose_name(name), getattr(sheet, f"get_{name}_display")()) for name in sheet.ADL_FIELDS],
        "procedures": [labels.get(code, code) for code in sheet.procedures],
        "printed_at": timezone.localtime(),
    }


def collaboration_sheet_pdf(post: Post) -> bytes:
    return render_pdf("sharing/sheet_pdf.html", sheet_context(post))
