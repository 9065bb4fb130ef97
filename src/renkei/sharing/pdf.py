"""The 多職種連携シート as an A4 PDF (WeasyPrint, Noto Sans CJK JP)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from renkei.sharing.forms import PROCEDURE_CHOICES
from renkei.sharing.models import Post


def sheet_context(post: Post) -> dict:
    sheet = post.sheet
    labels = dict(PROCEDURE_CHOICES)
    return {
        "post": post,
        "sheet": sheet,
        "patient": post.patient,
        "adl": [
            (sheet._meta.get_field(name).verbose_name, getattr(sheet, f"get_{name}_display")())
            for name in sheet.ADL_FIELDS
        ],
        "procedures": [labels.get(code, code) for code in sheet.procedures],
        "printed_at": timezone.localtime(),
    }


def collaboration_sheet_pdf(post: Post) -> bytes:
    from weasyprint import HTML

    html = render_to_string("sharing/sheet_pdf.html", sheet_context(post))
    return HTML(string=html).write_pdf()
