"""A filled sheet as an A4 PDF in the style of the 多職種連携シート (:func:`renkei.core.pdf.render_pdf`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from renkei.core.pdf import render_pdf


def filled_sheet_pdf(filled: Any) -> bytes:
    return render_pdf(
        "transitions/sheets/sheet_pdf.html",
        {
            "filled": filled,
            "post": filled.post,
            "patient": filled.post.patient,
            "definition": filled.version.definition,
            "version": filled.version,
            "rows": filled.rows,
            "printed_at": timezone.localtime(),
        },
    )
