"""The 八戸地域保健医療圏域 of 青森県 and its eight municipalities (codes with check digit)."""

from django.db import migrations

REGION = {
    "slug": "hachinohe",
    "name": "八戸地域保健医療圏域",
    "short_name": "八戸圏域",
    "prefecture": "青森県",
}
MUNICIPALITIES = [
    ("022039", "", "八戸市", "はちのへし"),
    ("024121", "上北郡", "おいらせ町", "おいらせちょう"),
    ("024414", "三戸郡", "三戸町", "さんのへまち"),
    ("024422", "三戸郡", "五戸町", "ごのへまち"),
    ("024431", "三戸郡", "田子町", "たっこまち"),
    ("024457", "三戸郡", "南部町", "なんぶちょう"),
    ("024465", "三戸郡", "階上町", "はしかみちょう"),
    ("024503", "三戸郡", "新郷村", "しんごうむら"),
]


def create_region(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    Municipality = apps.get_model("core", "Municipality")
    region, _ = Region.objects.get_or_create(slug=REGION["slug"], defaults=REGION)
    for code, county, name, kana in MUNICIPALITIES:
        Municipality.objects.get_or_create(
            code=code,
            defaults={"region": region, "prefecture": "青森県", "county": county, "name": name, "kana": kana},
        )


def remove_region(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    Municipality = apps.get_model("core", "Municipality")
    Municipality.objects.filter(code__in=[m[0] for m in MUNICIPALITIES]).delete()
    Region.objects.filter(slug=REGION["slug"]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_region, remove_region)]
