from django.db import migrations

from renkei.consultations.seed import ensure_default_categories


def seed(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    ConsultationCategory = apps.get_model("consultations", "ConsultationCategory")
    region = Region.objects.filter(slug="hachinohe").first()
    if region is not None:
        ensure_default_categories(ConsultationCategory, region)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("core", "0002_hachinohe_region"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
