"""Search texts gain the reading of each 診療科目 (「ないか」 finds 内科): rebuild the search text and
bigrams of every facility whose text changes, as 0005 did for the category readings."""

from importlib import import_module

from django.db import migrations

rebuild_search_texts = import_module(
    "renkei.directory.migrations.0005_category_readings_in_search_text"
).rebuild_search_texts


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_field_format_validators")]

    operations = [migrations.RunPython(rebuild_search_texts, migrations.RunPython.noop)]
