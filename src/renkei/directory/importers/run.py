"""Running an import: parse and check every row, then (unless refused or blocked by errors) compare
with the database and write in one transaction; a full file also marks what it no longer lists.
Nothing is written when any row is invalid, unless the caller asked to skip invalid rows.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import DataError, IntegrityError, connection, transaction

from renkei.core.models import Municipality
from renkei.directory.importers.cells import stored_file_name
from renkei.directory.importers.reading import InputFile, file_made_at
from renkei.directory.importers.records import MunicipalityScope, Record
from renkei.directory.importers.report import MAX_LISTED_ISSUES, ImportRefused, ImportReport, MissingFacility
from renkei.directory.models import Facility
from renkei.directory.signals import facilities_imported


def execute(
    importer,
    files: list[InputFile],
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    full: bool = False,
    allowed_municipalities: Iterable[Municipality] | None = None,
    overwrite_newer: bool = False,
) -> ImportReport:
    """Run ``importer`` on ``files``: parse and check every row, then (unless refused, or blocked by
    errors) compare with the database and write in one transaction. Never raises for bad input.

    A row is left unchanged (and reported) when it would overwrite what was confirmed or edited after
    its file was made — or after the facility's last import, for a file that carries no date —
    unless ``overwrite_newer``."""
    # Hundreds of thousands of small, long-lived objects: the cyclic collector would rescan them
    # again and again for nothing (they hold no cycles that need collecting before we finish).
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = ImportReport(
            format=importer.format,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            full=full,
            overwrite_newer=overwrite_newer,
        )
        return _execute(importer, files, report, allowed_municipalities)
    finally:
        if collecting:
            gc.enable()


def _merge_gin_pending() -> None:
    """PostgreSQL: merge what is left in the full-text GIN index's pending list (at most
    ``gin_pending_list_limit``) before the import ends, so that searches never scan it.

    The pending list itself is left at its default size: the merges it triggers run while the COPY
    streams, on the server's core, in parallel with Python preparing the next rows. Deferring them
    to one large merge at the end (tried) made the import slower, not faster."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('directory_facility_grams_gin'::regclass)")


def _execute(importer, files, report: ImportReport, allowed_municipalities) -> ImportReport:
    dry_run = report.dry_run
    report.files = [f.name for f in files]
    scope = MunicipalityScope(allowed_municipalities)
    try:
        records = importer.parse(files, scope, report)
    except ImportRefused as exc:
        report.refuse(str(exc))
        return report
    if report.blocked_by_errors:
        return report
    writer = importer.writer(report)
    writer.allowed_ids = scope.allowed_ids
    writer.overwrite_newer = report.overwrite_newer
    writer.file_dates = {
        stored_file_name(f.name): made_at for f in files if (made_at := file_made_at(f)) is not None
    }
    try:
        if dry_run:
            writer.run(records, write=False)
            _find_missing(importer, records, report)
        else:
            with _large_sqlite_cache(), transaction.atomic():
                writer.run(records, write=True)
                _find_missing(importer, records, report, mark_at=writer.now)
                facilities_imported.send(Facility, municipality_ids=sorted(writer.touched_municipalities))
                _merge_gin_pending()
                if report.blocked_by_errors:
                    transaction.set_rollback(True)
                    return report
            report.written = True
    except ImportRefused as exc:
        report.refuse(str(exc))
    except IntegrityError:
        # Another import wrote the same facility between our check and our write.
        report.written = False
        report.refuse("同じ施設を別の取込が同時に書き込みました。少し待ってからもう一度取り込んでください。")
    except DataError:
        # Last resort: the checks while parsing should have caught every value the database refuses.
        # The transaction has been rolled back; nothing of this import was kept.
        report.written = False
        report.refuse(
            "データベースに保存できない値（長すぎる値や使えない文字）があったため、何も取り込んでいません。"
            "ファイルの内容を確認してください。"
        )
    return report


@contextmanager
def _large_sqlite_cache(kibibytes: int = 256 * 1024):
    """A national file grows the indexes far beyond SQLite's default 2 MB page cache; give this
    connection a larger one while it writes (PostgreSQL manages its own memory)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kibibytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _find_missing(importer, records: list[Record], report: ImportReport, mark_at=None) -> None:
    """A full file: list the facilities of its scope that it no longer contains. When writing
    (``mark_at``), mark them 「要確認（公表データに無し）」 and clear the mark of those that are back."""
    if not report.full:
        return
    # Rows rejected for a mistake still name a facility that is in the file: not missing.
    seen_keys = {record.key for record in records} | set(getattr(importer, "rejected_keys", ()))
    key_field = importer.key_field
    queryset = importer.full_scope_queryset(records).exclude(status="closed")
    missing_ids: list[int] = []
    returned_ids: list[int] = []
    rows = queryset.values_list("id", "name", key_field, "missing_from_source_at").order_by(key_field)
    for facility_id, name, code, marked_at in rows:
        if code not in seen_keys:
            report.missing += 1
            if marked_at is None:
                missing_ids.append(facility_id)
            if len(report.missing_facilities) < MAX_LISTED_ISSUES:
                report.missing_facilities.append(MissingFacility(facility_id, name, code or ""))
        elif marked_at is not None:
            returned_ids.append(facility_id)
    if mark_at is None:
        return
    for ids, value in ((missing_ids, mark_at), (returned_ids, None)):
        for start in range(0, len(ids), 5000):
            Facility.objects.filter(id__in=ids[start : start + 5000]).update(missing_from_source_at=value)
