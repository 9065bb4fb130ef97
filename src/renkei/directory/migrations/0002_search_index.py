"""A full-text index over the bigrams of each facility's normalised search text.

SQLite: an FTS5 table (unicode61 tokenizer) with external content, kept current by triggers.
PostgreSQL: a GIN index on the array of bigrams. Either way a search term of two or more characters
is looked up through the index and then checked exactly with LIKE.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE directory_facility_fts USING fts5(
        search_grams, content='directory_facility', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', detail=none, columnsize=0
    )""",
    """CREATE TRIGGER directory_facility_fts_insert AFTER INSERT ON directory_facility BEGIN
        INSERT INTO directory_facility_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
    END""",
    """CREATE TRIGGER directory_facility_fts_delete AFTER DELETE ON directory_facility BEGIN
        INSERT INTO directory_facility_fts(directory_facility_fts, rowid, search_grams)
        VALUES ('delete', old.id, old.search_grams);
    END""",
    """CREATE TRIGGER directory_facility_fts_update AFTER UPDATE OF search_grams ON directory_facility BEGIN
        INSERT INTO directory_facility_fts(directory_facility_fts, rowid, search_grams)
        VALUES ('delete', old.id, old.search_grams);
        INSERT INTO directory_facility_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
    END""",
    "INSERT INTO directory_facility_fts(directory_facility_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_facility_fts_update",
    "DROP TRIGGER IF EXISTS directory_facility_fts_delete",
    "DROP TRIGGER IF EXISTS directory_facility_fts_insert",
    "DROP TABLE IF EXISTS directory_facility_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX directory_facility_grams_gin ON directory_facility USING gin (string_to_array(search_grams, ' '))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS directory_facility_grams_gin"]


def _fill_grams(apps):
    from renkei.core.text import bigrams

    Facility = apps.get_model("directory", "Facility")
    for facility in Facility.objects.select_related("municipality").only("id", "search_text", "municipality__code"):
        grams = " ".join([f"m{facility.municipality.code}", *bigrams(facility.search_text)])
        Facility.objects.filter(pk=facility.pk).update(search_grams=grams)


def forward(apps, schema_editor):
    _fill_grams(apps)
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="facility",
            name="search_grams",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(forward, backward),
    ]
