"""The 八戸地域保健医療圏域 of 青森県 and its eight municipalities (codes with check digit)."""

from django.db import migrations

from renkei.core.seed import HACHINOHE_MUNICIPALITIES, HACHINOHE_REGION, ensure_hachinohe_region


def create_region(apps, schema_editor):
    ensure_hachinohe_region(apps.get_model("core", "Region"), apps.get_model("core", "Municipality"))


def remove_region(apps, schema_editor):
    apps.get_model("core", "Municipality").objects.filter(
        code__in=[m[0] for m in HACHINOHE_MUNICIPALITIES]
    ).delete()
    apps.get_model("core", "Region").objects.filter(slug=HACHINOHE_REGION["slug"]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_region, remove_region)]
