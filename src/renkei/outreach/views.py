"""Staff pages of outreach: the printable resource guide (a form, then the PDF)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from renkei.core import permissions
from renkei.core.pdf import pdf_response
from renkei.core.services import RuleError
from renkei.outreach.forms import GuideForm
from renkei.outreach.services import guide


@login_required
@require_GET
def guide_page(request: HttpRequest) -> HttpResponse:
    """The form; 「PDF を作成」 asks for the same page with ``print=1`` and downloads the guide."""
    if not permissions.can_print_resource_guides(request.user):
        raise PermissionDenied
    form = GuideForm(request.GET if "print" in request.GET else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            content = guide.guide_pdf(data["municipality"], data["categories"], data["layout"])
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            name = f"resource-guide-{data['municipality'] or 'region'}-{data['layout']}.pdf"
            return pdf_response(content, name)
    return render(request, "outreach/guide_page.html", {"form": form}, status=400 if form.errors else 200)
