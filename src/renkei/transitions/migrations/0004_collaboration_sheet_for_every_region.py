"""Every region there is gets the 多職種連携シート as a published sheet definition (issue 13): the fixed
form of care-team sharing is retired, the defined sheet is the one way to write it. Regions created
later get it from ``seed_new_region`` (a ``post_save`` receiver, which historical models never fire)."""

from django.db import migrations

from renkei.transitions.sheets.seed import seed_collaboration_sheet


def seed_every_region(apps, schema_editor):
    definition_model = apps.get_model("transitions", "SheetDefinition")
    version_model = apps.get_model("transitions", "SheetVersion")
    for region in apps.get_model("core", "Region").objects.order_by("pk"):
        seed_collaboration_sheet(region, definition_model, version_model)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_hachinohe_region"),
        ("transitions", "0003_sheet_definitions"),
    ]
    # Going back leaves the definitions: they may hold filled sheets, and 0003 going back drops them all.
    operations = [migrations.RunPython(seed_every_region, migrations.RunPython.noop)]
