"""Staff pages to load facility data: upload → check (dry run, nothing written) → confirm → result.

The uploaded files stay on the server under ``VAR_DIR/imports/<random token>/`` between the check
and the confirmation; the browser only ever holds the token, which is also bound to the session.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core import permissions
from renkei.directory.importers import FORMATS, InputFile, run_import, write_rejected_csv
from renkei.directory.importers.renkei_template import template_csv, template_xlsx

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_FILES = 12
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_SESSION_KEY = "directory_imports"
OVERWRITE_NEWER_LABEL = "新しい変更も上書きする"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    format = forms.ChoiceField(label="ファイルの形式", choices=list(FORMATS.items()), initial="kaigo")
    # The metaclass moves declared fields into base_fields, so this does not replace BaseForm.files.
    files = MultipleFileField(  # type: ignore[assignment]
        label="ファイル",
        help_text="CSV（UTF-8 または Shift_JIS）、Excel（テンプレート）、医療情報ネットは zip も可。複数選べます。",
    )
    skip_invalid = forms.BooleanField(
        label="誤りのある行を除いて取り込む",
        required=False,
        help_text="除いた行は CSV でダウンロードして直せます。",
    )
    full = forms.BooleanField(
        label="全件のファイルとして扱う",
        required=False,
        help_text="ファイルにない同じ出典の施設を「一覧にない」として数えます（削除はしません）。",
    )
    overwrite_newer = forms.BooleanField(
        label=OVERWRITE_NEWER_LABEL,
        required=False,
        help_text="ファイルの作成後（日付のないファイルでは前回の取込の後）に確認・編集された施設は、"
        "ふだんは変更せずに残します。選ぶと、それもファイルの内容で上書きします。",
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(f"一度に選べるファイルは {MAX_FILES} 個までです。")
        if sum(f.size for f in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("ファイルが大きすぎます（合計 200 MB まで）。")
        for f in files:
            if f.size == 0:
                raise forms.ValidationError(f"{f.name} は空のファイルです。")
        return files


def _require_importer(request: HttpRequest) -> None:
    if not permissions.can_import_facilities(request.user):
        raise PermissionDenied


def _imports_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def _safe_name(name: str) -> str:
    # Shown in reports and kept as provenance; never used as a path.
    return re.sub(r"[\x00-\x1f/\\]", "_", Path(name).name)[:200] or "upload"


STALE_AFTER_SECONDS = 24 * 3600


def _remove_stale_uploads() -> None:
    """Uploads checked but never confirmed are removed after a day."""
    folder = _imports_dir()
    if not folder.is_dir():
        return
    limit = time.time() - STALE_AFTER_SECONDS
    for entry in folder.iterdir():
        if entry.is_dir() and _TOKEN.match(entry.name) and entry.stat().st_mtime < limit:
            shutil.rmtree(entry, ignore_errors=True)


def _store(files) -> tuple[str, list[str]]:
    _remove_stale_uploads()
    token = secrets.token_hex(16)
    folder = _imports_dir() / token
    folder.mkdir(parents=True, mode=0o700)
    names = []
    for index, upload in enumerate(files):
        with open(folder / f"{index}.bin", "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        names.append(_safe_name(upload.name))
    (folder / "manifest.json").write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
    return token, names


def _stored_inputs(token: str) -> list[InputFile]:
    folder = _imports_dir() / token
    names = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [InputFile.from_path(folder / f"{index}.bin", name=name) for index, name in enumerate(names)]


def _pending(request: HttpRequest, token: str) -> dict:
    pending = request.session.get(_SESSION_KEY, {})
    if not _TOKEN.match(token or "") or token not in pending or not (_imports_dir() / token).is_dir():
        raise Http404
    return pending[token]


def _forget(request: HttpRequest, token: str) -> None:
    pending = request.session.get(_SESSION_KEY, {})
    pending.pop(token, None)
    request.session[_SESSION_KEY] = pending
    shutil.rmtree(_imports_dir() / token, ignore_errors=True)


def _run(request: HttpRequest, token: str, options: dict, *, dry_run: bool):
    return run_import(
        options["format"],
        _stored_inputs(token),
        dry_run=dry_run,
        skip_invalid=options["skip_invalid"],
        full=options["full"],
        allowed_municipalities=permissions.managed_municipalities(request.user),
        overwrite_newer=options.get("overwrite_newer", False),
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token, _names = _store(form.cleaned_data["files"])
        options = {
            "format": form.cleaned_data["format"],
            "skip_invalid": form.cleaned_data["skip_invalid"],
            "full": form.cleaned_data["full"],
            "overwrite_newer": form.cleaned_data["overwrite_newer"],
        }
        report = _run(request, token, options, dry_run=True)
        if report.ok and report.rejected_rows:
            write_rejected_csv(report, _imports_dir() / token / "rejected.csv")
        if report.refused:
            shutil.rmtree(_imports_dir() / token, ignore_errors=True)
        else:
            pending = request.session.get(_SESSION_KEY, {})
            pending[token] = options
            request.session[_SESSION_KEY] = pending
        return render(
            request,
            "directory/import_report.html",
            {
                "report": report,
                "token": token,
                "format_label": FORMATS[options["format"]],
                "can_confirm": report.ok and not report.refused,
                "has_rejected_csv": report.ok and bool(report.rejected_rows),
                "overwrite_newer_label": OVERWRITE_NEWER_LABEL,
            },
            status=200 if report.ok else 400,
        )
    return render(
        request,
        "directory/import_upload.html",
        {"form": form, "municipalities": permissions.managed_municipalities(request.user)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    token = request.POST.get("token", "")
    options = dict(_pending(request, token))
    if request.POST.get("overwrite_newer"):
        # Ticked below the check's list of what would overwrite newer work: that list was shown.
        options["overwrite_newer"] = True
    report = _run(request, token, options, dry_run=False)
    _forget(request, token)
    return render(
        request,
        "directory/import_result.html",
        {"report": report, "format_label": FORMATS[options["format"]]},
        status=200 if report.written else 400,
    )


@login_required
@require_GET
def import_rejected(request: HttpRequest, token: str) -> FileResponse:
    _require_importer(request)
    _pending(request, token)
    path = _imports_dir() / token / "rejected.csv"
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename="rejected_rows.csv", content_type="text/csv"
    )


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    _require_importer(request)
    if kind == "csv":
        content, content_type = template_csv(), "text/csv; charset=utf-8"
    elif kind == "xlsx":
        content = template_xlsx()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="renkei_facility_template.{kind}"'
    return response
