"""Writing records to the database in bulk: match them by official code, then add, update or leave
each; new rows go in as one executemany (SQLite) or COPY (PostgreSQL), history copied in the database.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from renkei.core.models import Municipality
from renkei.directory.catalog import CAPABILITY_FIELDS
from renkei.directory.display import display_value
from renkei.directory.importers.cells import FieldError
from renkei.directory.importers.records import KEY_FIELDS, Record, category_for_services, category_rank
from renkei.directory.importers.report import (
    KEPT_NEWER_MESSAGE,
    MAX_LISTED_ISSUES,
    FieldChange,
    ImportReport,
    RejectedRow,
)
from renkei.directory.models import Facility, FacilityService, field_label, search_grams_for
from renkei.directory.search_index import indexed_after_bulk_insert
from renkei.directory.search_text import search_text

BATCH_SIZE = 2000


def _insert_many(sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` as ``sql`` (``INSERT INTO t (columns) VALUES (%s, …)``) would, fast."""
    if connection.vendor == "sqlite":
        # In-process SQLite has no round trips: executemany is the fastest there.
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(rows))
        return
    head, _, _one = sql.rpartition(" VALUES ")
    copy_sql = "COPY " + head.removeprefix("INSERT INTO ") + " FROM STDIN"
    # PostgreSQL: COPY streams the rows, without a statement (or a round trip) per row. The copy
    # runs on psycopg's own cursor: its errors are turned into Django's (DataError, IntegrityError).
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)


def _allocate_ids(count: int) -> list[int]:
    """Primary keys for ``count`` new facilities, taken before the insert so that no lookup is
    needed afterwards. Called inside the import's transaction."""
    if count == 0:
        return []
    table = Facility._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, Facility._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the write lock; never reuse the id of a deleted row.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
        return list(range(start, start + count))


def _insert_columns() -> list[tuple[Any, Callable[[Any], Any] | None]]:
    from django.db import models as django_models

    columns: list[tuple[Any, Callable[[Any], Any] | None]] = []
    for field_ in Facility._meta.concrete_fields:
        if field_.primary_key:
            continue
        prepare = None
        if isinstance(field_, django_models.JSONField | django_models.DateField):
            prepare = lambda value, field_=field_: field_.get_db_prep_save(value, connection)  # noqa: E731
        columns.append((field_, prepare))
    return columns


def _insert_defaults(now: datetime) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for field_ in Facility._meta.concrete_fields:
        if field_.primary_key:
            continue
        if getattr(field_, "auto_now", False) or getattr(field_, "auto_now_add", False):
            defaults[field_.attname] = now
        elif field_.has_default():
            defaults[field_.attname] = field_.get_default()
        elif field_.null:
            defaults[field_.attname] = None
        else:
            defaults[field_.attname] = ""
    return defaults


@dataclass
class _Plan:
    """What one batch will write."""

    new_records: list[Record] = field(default_factory=list)
    updated: list[tuple[Facility, set[str]]] = field(default_factory=list)
    service_adds: list[FacilityService] = field(default_factory=list)
    service_updates: list[FacilityService] = field(default_factory=list)
    service_deletes: list[int] = field(default_factory=list)


class Writer:
    """Compares records with the database by official code and writes the difference in bulk."""

    # Fields read back to compare and to rebuild the search text (capabilities included: a
    # station marked 24時間対応 by hand must still be found by 「24時間」 after the next official file).
    SEARCH_FIELDS = (
        "name",
        "name_kana",
        "short_name",
        "category",
        "address",
        "specialties",
        "municipality_id",
        *CAPABILITY_FIELDS,
    )

    def __init__(
        self,
        *,
        source: str,
        report: ImportReport,
        carried_fields: tuple[str, ...],
        with_services: bool,
        covered_services: set[str] | None = None,
        now: datetime | None = None,
    ):
        self.source = source
        self.report = report
        self.carried_fields = carried_fields
        self.with_services = with_services
        self.covered_services = covered_services or set()
        self.now = now or timezone.now()
        self.read_fields = tuple(
            dict.fromkeys(
                (
                    "id",
                    "source",
                    "verified_at",
                    "imported_at",
                    *KEY_FIELDS,
                    *carried_fields,
                    *self.SEARCH_FIELDS,
                )
            )
        )
        self.municipality_names = {m.pk: m for m in Municipality.objects.all()}
        self.allowed_ids: set[int] | None = None
        # When each file (by its stored name) was made, where it says so; else the last import counts.
        self.file_dates: dict[str, datetime] = {}
        self.overwrite_newer = False
        self._edited: dict[int, list[tuple[datetime, set[str]]]] = {}
        # The municipalities whose facilities this import may have changed: those of its rows and
        # those the matched facilities were in before (told to listeners of facilities_imported).
        self.touched_municipalities: set[int] = set()

    def run(self, records: list[Record], *, write: bool) -> None:
        self.touched_municipalities.update(r.municipality.pk for r in records if r.municipality is not None)
        for start in range(0, len(records), BATCH_SIZE):
            self._batch(records[start : start + BATCH_SIZE], write=write)

    def _existing(self, records: list[Record]) -> dict[tuple[str, str], dict]:
        wanted: dict[str, set[str]] = {}
        for record in records:
            wanted.setdefault(record.key_field, set()).add(record.key)
            for key_field, key in record.other_keys.items():
                wanted.setdefault(key_field, set()).add(key)
        found: dict[tuple[str, str], dict] = {}
        for key_field, keys in wanted.items():
            for row in Facility.objects.filter(**{f"{key_field}__in": list(keys)}).values(*self.read_fields):
                found[(key_field, row[key_field])] = row
                self.touched_municipalities.add(row["municipality_id"])
        return found

    def _services(self, facility_ids: list[int]) -> dict[int, dict[str, tuple[int | None, str, int]]]:
        result: dict[int, dict[str, tuple[int | None, str, int]]] = {}
        if not facility_ids:
            return result
        for row in FacilityService.objects.filter(facility_id__in=facility_ids).values_list(
            "facility_id", "code", "capacity", "available_days", "id"
        ):
            result.setdefault(row[0], {})[row[1]] = (row[2], row[3], row[4])
        return result

    def _reject(self, record: Record, message: str) -> None:
        self.report.error(record.source_file, record.source_row, "", message)
        self.report.rejected += 1
        if record.raw is not None:
            self.report.rejected_rows.append(
                RejectedRow(record.source_file, record.source_row, record.header, record.raw, [message])
            )

    def _check_allowed(self, record: Record, row: dict | None) -> None:
        if self.allowed_ids is None or row is None or row["municipality_id"] in self.allowed_ids:
            return
        municipality = self.municipality_names[row["municipality_id"]]
        raise FieldError(
            f"{municipality.name}の施設です。取り込めるのは、あなたが担当する市町村の施設だけです。"
        )

    @staticmethod
    def _check_complete(record: Record) -> None:
        if (
            record.municipality is None
            or not record.values.get("name")
            or not record.values.get("category", "-")
        ):
            raise FieldError(
                "該当する施設が見つかりません。新しく登録するには名称・種別・市町村を入れてください。"
            )
        if "category" not in record.values and record.services is None:
            raise FieldError(
                "該当する施設が見つかりません。新しく登録するには名称・種別・市町村を入れてください。"
            )

    def _match(self, record: Record, existing: dict[tuple[str, str], dict]) -> dict | None:
        row = existing.get((record.key_field, record.key))
        for key_field, key in record.other_keys.items():
            other = existing.get((key_field, key))
            if other is None:
                continue
            if row is None:
                row = other
            elif other["id"] != row["id"]:
                raise FieldError(f"独自コードと{field_label(key_field)}が別々の施設を指しています。")
        return row

    def _batch(self, records: list[Record], *, write: bool) -> None:
        matched = self._matched(records)
        services = self._services([row["id"] for _, row in matched if row])
        self._edited = self._edits_after_files(matched)
        plan = _Plan()
        for record, row in matched:
            if row is None:
                plan.new_records.append(record)
                self.report.added += 1
            else:
                self._plan_update(record, row, services, plan)
        if write:
            self._write(plan)

    def _matched(self, records: list[Record]) -> list[tuple[Record, dict | None]]:
        """Each record with the database row it updates (None: a new facility); records that may
        not be written are rejected with the reason."""
        existing = self._existing(records)
        matched: list[tuple[Record, dict | None]] = []
        for record in records:
            try:
                row = self._match(record, existing)
                self._check_allowed(record, row)
                if row is None:
                    self._check_complete(record)
            except FieldError as exc:
                self._reject(record, str(exc))
                continue
            matched.append((record, row))
        return matched

    def _plan_update(self, record: Record, row: dict, services: dict, plan: _Plan) -> None:
        changes = self._changes(record, row)
        svc_add, svc_update, svc_delete, codes = self._service_changes(record, row, services)
        if self.with_services:
            category = category_for_services(codes)
            if category != row["category"]:
                changes["category"] = category
            if category_rank(record.primary_category) > category_rank(category):
                # The row that names this office is a service not in these files: keep its name.
                for name_field in ("name", "name_kana", "capacity"):
                    changes.pop(name_field, None)
        if not changes and not svc_add and not svc_update and not svc_delete:
            self.report.unchanged += 1
            return
        kept_newer = bool(changes) and self._newer_than_file(record, row, changes)
        self._list_changes(row, changes, kept_newer)
        if kept_newer:
            self.report.kept_newer += 1
            self.report.warn(record.source_file, record.source_row, "", KEPT_NEWER_MESSAGE)
            return
        self.report.updated += 1
        merged = {**row, **changes}
        facility = Facility(**{k: v for k, v in merged.items() if k in self._model_fields()})
        facility.municipality = self.municipality_names[merged["municipality_id"]]
        facility.source = (
            self.source if not record.official_fields or row["source"] == self.source else row["source"]
        )
        facility.source_file = record.source_file
        facility.source_row = record.source_row
        facility.imported_at = self.now
        facility.search_text = search_text(merged, facility.municipality, codes)
        facility.search_grams = search_grams_for(facility.search_text, facility.municipality.code)
        plan.updated.append((facility, set(changes)))
        for code, (capacity, days) in svc_add.items():
            plan.service_adds.append(
                FacilityService(facility_id=row["id"], code=code, capacity=capacity, available_days=days)
            )
        for code, (capacity, days, service_id) in svc_update.items():
            plan.service_updates.append(
                FacilityService(
                    id=service_id, facility_id=row["id"], code=code, capacity=capacity, available_days=days
                )
            )
        plan.service_deletes.extend(svc_delete)

    def _reference_time(self, record: Record, row: dict) -> datetime | None:
        """What a row's values are as new as: the file's own date, else the facility's last import."""
        return self.file_dates.get(record.source_file) or row["imported_at"]

    def _edits_after_files(self, matched: list[tuple[Record, dict | None]]) -> dict[int, list]:
        """The people's edits (any version not written by an import) of these facilities made after
        their rows' files: (when, fields changed) by facility id. Usually none, so one query."""
        if self.overwrite_newer:
            return {}
        references = {
            row["id"]: when
            for record, row in matched
            if row is not None and (when := self._reference_time(record, row)) is not None
        }
        if not references:
            return {}
        history = Facility.history.model
        edits: dict[int, list[tuple[datetime, set[str]]]] = {}
        versions = (
            history.objects.filter(id__in=list(references), history_date__gt=min(references.values()))
            .exclude(history_change_reason__startswith="取込")
            .order_by("id", "history_date")
        )
        for version in versions:
            if version.history_date <= references[version.id]:
                continue
            older = version.prev_record
            if older is None:
                fields = set(self._model_fields())
            else:
                fields = set()
                for change in version.diff_against(older).changes:
                    fields |= {change.field, f"{change.field}_id"}
            edits.setdefault(version.id, []).append((version.history_date, fields))
        return edits

    def _newer_than_file(self, record: Record, row: dict, changes: dict[str, Any]) -> bool:
        """Whether writing ``changes`` would undo what was confirmed or edited after the row's file."""
        if self.overwrite_newer:
            return False
        reference = self._reference_time(record, row)
        if reference is None:
            return False
        if row["verified_at"] is not None and row["verified_at"] > reference:
            return True
        return any(fields & set(changes) for _, fields in self._edited.get(row["id"], []))

    def _list_changes(self, row: dict, changes: dict[str, Any], kept_newer: bool) -> None:
        name = changes.get("name", row["name"])
        for field_name, new in changes.items():
            if len(self.report.changes) >= MAX_LISTED_ISSUES:
                self.report.change_count += 1
                continue
            old = row.get(field_name)
            if field_name == "municipality_id":
                label = field_label("municipality")
                old_text = self.municipality_names[old].name if old in self.municipality_names else "（なし）"
                new_text = self.municipality_names[new].name
            else:
                label = field_label(field_name)
                old_text, new_text = display_value(field_name, old), display_value(field_name, new)
            self.report.change(
                FieldChange(row["id"], name, field_name, label, old_text, new_text, kept_newer)
            )

    def _write(self, plan: _Plan) -> None:
        if plan.new_records:
            self._insert(plan.new_records)
        if plan.updated:
            fields = set().union(*(changed for _, changed in plan.updated))
            fields |= {
                "search_text",
                "search_grams",
                "source",
                "source_file",
                "source_row",
                "imported_at",
                "updated_at",
            }
            for facility, _ in plan.updated:
                facility.updated_at = self.now
            Facility.objects.bulk_update([f for f, _ in plan.updated], sorted(fields), batch_size=500)
            self._write_history(sorted(f.pk for f, _ in plan.updated), "~")
        if plan.service_deletes:
            FacilityService.objects.filter(id__in=plan.service_deletes).delete()
        if plan.service_adds:
            FacilityService.objects.bulk_create(plan.service_adds, batch_size=500)
        if plan.service_updates:
            FacilityService.objects.bulk_update(
                plan.service_updates, ["capacity", "available_days"], batch_size=500
            )

    _MODEL_FIELDS: set[str] | None = None

    @classmethod
    def _model_fields(cls) -> set[str]:
        if cls._MODEL_FIELDS is None:
            cls._MODEL_FIELDS = {f.attname for f in Facility._meta.concrete_fields}
        return cls._MODEL_FIELDS

    def _new_values(self, record: Record) -> dict[str, Any]:
        values = dict(record.values)
        values[record.key_field] = record.key
        for key_field, key in record.other_keys.items():
            values.setdefault(key_field, key)
        if self.with_services:
            values["category"] = category_for_services(record.services or {})
        municipality = record.municipality
        assert municipality is not None  # a new facility has one (Writer._check_complete)
        values.update(
            municipality_id=municipality.pk,
            source=self.source,
            source_file=record.source_file,
            source_row=record.source_row,
            imported_at=self.now,
        )
        values["search_text"] = search_text(values, municipality, sorted(record.services or {}))
        values["search_grams"] = search_grams_for(values["search_text"], municipality.code)
        return values

    def _insert(self, records: list[Record]) -> None:
        """Insert new facilities and their services with ids allocated up front, as one executemany
        (SQLite) or COPY (PostgreSQL): Django's bulk_create spends most of its time compiling SQL
        per object, which a national-scale import cannot afford.

        Each row's values (search text and bigrams included) are computed as the row is sent, so that
        PostgreSQL stores and indexes the rows already sent while Python prepares the next ones."""
        columns = _insert_columns()
        table = connection.ops.quote_name(Facility._meta.db_table)
        # Table and column names come from the model, values are parameters.
        names = ", ".join(connection.ops.quote_name(c.column) for c, _ in columns)
        placeholders = ", ".join(["%s"] * len(columns))
        pk_column = connection.ops.quote_name("id")
        sql = f"INSERT INTO {table} ({pk_column}, {names}) VALUES (%s, {placeholders})"  # noqa: S608
        ids = _allocate_ids(len(records))
        defaults = _insert_defaults(self.now)
        prepared_now = connection.ops.adapt_datetimefield_value(self.now)
        # Every column's default, then the row's own values over them, read in column order.
        base = {field_.attname: defaults.get(field_.attname) for field_, _ in columns}
        in_column_order = operator.itemgetter(*base)
        # Positions in a row (after the id) of the values that need the database's adapter.
        special = [(index + 1, prepare) for index, (_, prepare) in enumerate(columns) if prepare is not None]
        empty_list: dict[int, Any] = {}

        def rows() -> Iterator[list[Any]]:
            for pk, record in zip(ids, records, strict=True):
                row = [pk, *in_column_order({**base, **self._new_values(record)})]
                for index, prepare in special:
                    value = row[index]
                    if value is None:
                        continue
                    if value is self.now:
                        row[index] = prepared_now
                    elif isinstance(value, list) and not value:
                        # JSON lists: the empty one (most rows) is prepared once.
                        if index not in empty_list:
                            empty_list[index] = prepare(value)
                        row[index] = empty_list[index]
                    else:
                        row[index] = prepare(value)
                yield row

        with indexed_after_bulk_insert(connection, ids[0], ids[-1]):
            _insert_many(sql, rows())
        self._write_history(ids, "+")
        service_rows = [
            (pk, code, capacity, days)
            for pk, record in zip(ids, records, strict=True)
            for code, (capacity, days) in (record.services or {}).items()
        ]
        if service_rows:
            service_table = connection.ops.quote_name(FacilityService._meta.db_table)
            _insert_many(
                f"INSERT INTO {service_table} (facility_id, code, capacity, available_days) "  # noqa: S608
                "VALUES (%s, %s, %s, %s)",
                service_rows,
            )

    def _write_history(self, facility_ids: list[int], history_type: str) -> None:
        """A version of each facility just written, copied inside the database in one statement per
        chunk (INSERT … SELECT): no model saves, no row travels through Python."""
        history_model = Facility.history.model
        tracked = [
            f.column for f in history_model._meta.concrete_fields if not f.attname.startswith("history_")
        ]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(column) for column in tracked)
        history_columns = ", ".join(
            quote(c) for c in ("history_date", "history_change_reason", "history_type", "history_user_id")
        )
        sql = (
            f"INSERT INTO {quote(history_model._meta.db_table)} ({columns}, {history_columns}) "  # noqa: S608
            f"SELECT {columns}, %s, %s, %s, NULL FROM {quote(Facility._meta.db_table)} WHERE "
        )
        reason = f"取込（{self.report.format}）"
        when = connection.ops.adapt_datetimefield_value(self.now)
        with connection.cursor() as cursor:
            for start in range(0, len(facility_ids), 50_000):
                chunk = facility_ids[start : start + 50_000]
                if connection.vendor == "postgresql":
                    cursor.execute(sql + "id = ANY(%s)", [when, reason, history_type, chunk])
                elif chunk == list(range(chunk[0], chunk[0] + len(chunk))):
                    cursor.execute(
                        sql + "id BETWEEN %s AND %s", [when, reason, history_type, chunk[0], chunk[-1]]
                    )
                else:
                    for part in range(0, len(chunk), 500):
                        ids = chunk[part : part + 500]
                        placeholders = ", ".join(["%s"] * len(ids))
                        cursor.execute(sql + f"id IN ({placeholders})", [when, reason, history_type, *ids])

    def _changes(self, record: Record, row: dict) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        official = record.official_fields if row["source"] != self.source else frozenset()
        for name, value in record.values.items():
            if name in official:
                continue
            if row.get(name) != value:
                changes[name] = value
        if (
            record.municipality is not None
            and "municipality_id" not in official
            and row["municipality_id"] != record.municipality.pk
        ):
            changes["municipality_id"] = record.municipality.pk
        for key_field, key in record.other_keys.items():
            if row.get(key_field) in (None, "") and key:
                changes[key_field] = key
        if row.get(record.key_field) != record.key:
            changes[record.key_field] = record.key
        return changes

    def _service_changes(self, record: Record, row: dict, services: dict):
        current = services.get(row["id"], {})
        if not self.with_services:
            return {}, {}, [], sorted(current)
        wanted = record.services or {}
        adds = {code: value for code, value in wanted.items() if code not in current}
        updates = {
            code: (*wanted[code], current[code][2])
            for code in wanted
            if code in current and (current[code][0], current[code][1]) != wanted[code]
        }
        deletes = []
        if self.report.full and "*" not in record.kept_services:
            deletes = [
                current[code][2]
                for code in current
                if code not in wanted and code in self.covered_services and code not in record.kept_services
            ]
        remaining = (set(current) - {code for code in current if current[code][2] in deletes}) | set(wanted)
        return adds, updates, deletes, sorted(remaining)
