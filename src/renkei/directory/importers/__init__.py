"""Importers of the directory: official open data (介護サービス情報公表システム, 医療情報ネット) and
Renkei's own template. Pages, the command and the demo call :func:`run_import`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from renkei.core.models import Municipality
from renkei.directory.importers.reading import InputFile, expand_zip
from renkei.directory.importers.report import ImportRefused, ImportReport, write_rejected_csv
from renkei.directory.importers.run import execute

FORMATS = {
    "kaigo": "介護サービス情報公表システム（CSV）",
    "iryo": "医療情報ネット（CSV・zip）",
    "renkei": "Renkei 取込テンプレート（CSV・Excel）",
}


def importer_for(format: str):
    if format == "kaigo":
        from renkei.directory.importers.kaigo import KaigoImporter

        return KaigoImporter()
    if format == "iryo":
        from renkei.directory.importers.iryo import IryoImporter

        return IryoImporter()
    if format == "renkei":
        from renkei.directory.importers.renkei_template import TemplateImporter

        return TemplateImporter()
    raise ValueError(f"unknown import format {format!r}")


def run_import(
    format: str,
    files: Iterable[InputFile | str | Path],
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    full: bool = False,
    allowed_municipalities: Iterable[Municipality] | None = None,
    overwrite_newer: bool = False,
) -> ImportReport:
    """Import ``files`` (paths or :class:`InputFile`) in ``format`` ("kaigo", "iryo", "renkei").

    Returns the report; bad input never raises. ``allowed_municipalities`` (None = all) limits the
    rows that may be written — rows of other municipalities are rejected with a reason.
    ``overwrite_newer``: also overwrite what was confirmed or edited after the file was made."""
    inputs: list[InputFile] = []
    try:
        for item in files:
            input_file = item if isinstance(item, InputFile) else InputFile.from_path(item)
            inputs.extend(expand_zip(input_file) if format == "iryo" else [input_file])
    except ImportRefused as exc:
        report = ImportReport(
            format=format,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            full=full,
            overwrite_newer=overwrite_newer,
        )
        report.refuse(str(exc))
        return report
    return execute(
        importer_for(format),
        inputs,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        full=full,
        allowed_municipalities=allowed_municipalities,
        overwrite_newer=overwrite_newer,
    )


__all__ = ["FORMATS", "ImportReport", "InputFile", "importer_for", "run_import", "write_rejected_csv"]
