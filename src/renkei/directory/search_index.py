"""The full-text index of the directory on SQLite: an FTS5 table kept current by triggers.

Django rebuilds a SQLite table (copy, drop, rename) for many schema changes, and that drops the
table's triggers. So the index is (re)checked after every ``migrate``: missing triggers are created
again and the index is rebuilt from the table. PostgreSQL needs nothing of this: its GIN index is an
ordinary expression index (migration 0002).
"""

from __future__ import annotations

from contextlib import contextmanager

FTS_TABLE = "directory_facility_fts"
CREATE_TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS directory_facility_fts USING fts5(
    search_grams, content='directory_facility', content_rowid='id',
    tokenize='unicode61 remove_diacritics 0', detail=none, columnsize=0
)"""
TRIGGERS = {
    "directory_facility_fts_insert": """CREATE TRIGGER IF NOT EXISTS directory_facility_fts_insert
        AFTER INSERT ON directory_facility BEGIN
        INSERT INTO directory_facility_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
    END""",
    "directory_facility_fts_delete": """CREATE TRIGGER IF NOT EXISTS directory_facility_fts_delete
        AFTER DELETE ON directory_facility BEGIN
        INSERT INTO directory_facility_fts(directory_facility_fts, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
    END""",
    "directory_facility_fts_update": """CREATE TRIGGER IF NOT EXISTS directory_facility_fts_update
        AFTER UPDATE OF search_grams ON directory_facility BEGIN
        INSERT INTO directory_facility_fts(directory_facility_fts, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
        INSERT INTO directory_facility_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
    END""",
}
REBUILD = "INSERT INTO directory_facility_fts(directory_facility_fts) VALUES ('rebuild')"
DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS] + [
    "DROP TABLE IF EXISTS directory_facility_fts"
]


def ensure_sqlite_search_index(connection) -> bool:
    """Create whatever part of the SQLite index is missing; True when it had to be rebuilt."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'directory_facility%'")
        present = {name for _type, name in cursor.fetchall()}
        if "directory_facility" not in present or "search_grams" not in _columns(cursor):
            return False  # migration 0002 has not run yet; it creates all of this
        missing = [name for name in TRIGGERS if name not in present]
        if FTS_TABLE in present and not missing:
            return False
        cursor.execute(CREATE_TABLE)
        for name in missing:
            cursor.execute(TRIGGERS[name])
        cursor.execute(REBUILD)
    return True


def _columns(cursor) -> set[str]:
    cursor.execute("PRAGMA table_info(directory_facility)")
    return {row[1] for row in cursor.fetchall()}


@contextmanager
def indexed_after_bulk_insert(connection, first_id: int, last_id: int):
    """Around a bulk insert of facilities ``first_id``…``last_id`` (SQLite): index them in one
    statement afterwards instead of one trigger call per row — about ten times less work.

    Inside the import's transaction, which holds SQLite's only write lock: no other writer can
    add a row while the trigger is away, and a failed import rolls the trigger back in place.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS directory_facility_fts_insert")
    try:
        yield
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO directory_facility_fts(rowid, search_grams) "
                "SELECT id, search_grams FROM directory_facility WHERE id BETWEEN %s AND %s",
                [first_id, last_id],
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(TRIGGERS["directory_facility_fts_insert"])
