from __future__ import annotations

from renkei.core.models import Municipality, Region
from renkei.directory.models import Facility
from tests.core.totp import verified_login


def test_institution_field_suggests_directory_entries_of_the_region(client, dan, hachinohe):
    for name, kana in [("八戸みなと病院", "はちのへみなとびょういん"), ("みなと薬局", "みなとやっきょく")]:
        Facility.objects.create(name=name, name_kana=kana, category="hospital", municipality=hachinohe)
    elsewhere = Region.objects.create(slug="aomori", name="青森圏域", short_name="青森", prefecture="青森県")
    aomori = Municipality.objects.create(code="022012", name="青森市", prefecture="青森県", region=elsewhere)
    Facility.objects.create(name="青森みなと病院", category="hospital", municipality=aomori)

    Facility.objects.create(
        name="旧みなと医院",
        category="clinic",
        municipality=hachinohe,
        status="closed",
    )
    # Search fields as the product builds them (importers, forms).
    for facility in Facility.objects.all():
        facility.set_search_fields([])
        facility.save()

    verified_login(client, dan)
    results = client.get("/consultations/facilities.json", {"q": "ミナト"}).json()["results"]
    assert [r["name"] for r in results] == ["八戸みなと病院", "みなと薬局"]
    assert results[0]["municipality"] == "八戸市"
    assert client.get("/consultations/facilities.json", {"q": " "}).json() == {"results": []}
