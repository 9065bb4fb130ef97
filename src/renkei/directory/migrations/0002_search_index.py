"""A full-text index over the bigrams of each facility's normalised search text.

SQLite: an FTS5 table (unicode61 tokenizer) with external content, kept current by triggers.
PostgreSQL: a GIN index on the array of bigrams. Either way a search term of two or more characters
is looked up through the index and then checked exactly with LIKE.
"""

from django.db import migrations, models

from renkei.directory.search_index import CREATE_TABLE, DROP, REBUILD, TRIGGERS

SQLITE_FORWARD = [CREATE_TABLE, *TRIGGERS.values(), REBUILD]
SQLITE_BACKWARD = DROP
POSTGRES_FORWARD = [
    "CREATE INDEX directory_facility_grams_gin ON directory_facility USING gin (string_to_array(search_grams, ' '))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS directory_facility_grams_gin"]


def _fill_grams(apps):
    from renkei.core.text import bigrams

    Facility = apps.get_model("directory", "Facility")
    for facility in Facility.objects.select_related("municipality").only(
        "id", "search_text", "municipality__code"
    ):
        grams = " ".join([f"m{facility.municipality.code}", *bigrams(facility.search_text)])
        Facility.objects.filter(pk=facility.pk).update(search_grams=grams)


def forward(apps, schema_editor):
    _fill_grams(apps)
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(
        schema_editor.connection.vendor, []
    )
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
