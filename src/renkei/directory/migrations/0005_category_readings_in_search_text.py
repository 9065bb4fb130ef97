"""Search texts gain the reading of their category (「かよいのば」 finds the 通いの場): rebuild the
search text and bigrams of every facility whose text changes. The full-text index follows by itself
(SQLite: the update trigger; PostgreSQL: the GIN expression index)."""

from typing import Any

from django.db import migrations

# Everything the search text is built from (see Facility.build_search_text), with the capabilities.
SEARCH_FIELDS = ("name", "name_kana", "short_name", "address", "category", "specialties")


def rebuild_search_texts(apps: Any, schema_editor: Any) -> None:
    from renkei.directory.catalog import CAPABILITY_FIELDS
    from renkei.directory.search_text import search_text
    from renkei.directory.models import search_grams_for

    Facility = apps.get_model("directory", "Facility")
    FacilityService = apps.get_model("directory", "FacilityService")
    codes: dict[int, list[str]] = {}
    for facility_id, code in FacilityService.objects.order_by("code").values_list("facility_id", "code"):
        codes.setdefault(facility_id, []).append(code)
    columns = {field.attname for field in Facility._meta.concrete_fields}
    fields = (*SEARCH_FIELDS, *(name for name in CAPABILITY_FIELDS if name in columns))
    changed = []
    for facility in Facility.objects.select_related("municipality").iterator(chunk_size=2000):
        values = {name: getattr(facility, name) for name in fields}
        text = search_text(values, facility.municipality, codes.get(facility.pk, []))
        if text == facility.search_text:
            continue
        facility.search_text = text
        facility.search_grams = search_grams_for(text, facility.municipality.code)
        changed.append(facility)
        if len(changed) >= 1000:
            Facility.objects.bulk_update(changed, ["search_text", "search_grams"])
            changed.clear()
    if changed:
        Facility.objects.bulk_update(changed, ["search_text", "search_grams"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_freshness")]

    operations = [migrations.RunPython(rebuild_search_texts, migrations.RunPython.noop)]
