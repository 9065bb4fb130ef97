"""Printing: a Django template rendered to an A4 PDF (WeasyPrint), Japanese set in Noto Sans CJK JP.

A printable template extends ``core/pdf/a4.html`` (page size, margins, page numbers, the font) and
fills its ``title``, ``style`` and ``body`` blocks::

    content = render_pdf("sharing/sheet_pdf.html", {"sheet": sheet})
    return pdf_response(content, "collaboration-sheet-12.pdf")
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The template, rendered with ``context``, as the bytes of a PDF."""
    # Imported here: WeasyPrint loads Pango and its fonts, which only printing needs.
    from weasyprint import HTML

    return HTML(string=render_to_string(template_name, context)).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF to download (never shown inline, never sniffed into another type)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
