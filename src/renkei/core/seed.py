"""The region Renkei ships with: 青森県's 八戸地域保健医療圏域 and its eight municipalities.

Used by the data migration (with historical models) and by tests that need it again after a
transactional test has emptied the database.
"""

from __future__ import annotations

HACHINOHE_REGION = {
    "slug": "hachinohe",
    "name": "八戸地域保健医療圏域",
    "short_name": "八戸圏域",
    "prefecture": "青森県",
}
HACHINOHE_MUNICIPALITIES = [
    # code (with check digit), county, name, kana
    ("022039", "", "八戸市", "はちのへし"),
    ("024121", "上北郡", "おいらせ町", "おいらせちょう"),
    ("024414", "三戸郡", "三戸町", "さんのへまち"),
    ("024422", "三戸郡", "五戸町", "ごのへまち"),
    ("024431", "三戸郡", "田子町", "たっこまち"),
    ("024457", "三戸郡", "南部町", "なんぶちょう"),
    ("024465", "三戸郡", "階上町", "はしかみちょう"),
    ("024503", "三戸郡", "新郷村", "しんごうむら"),
]


def ensure_hachinohe_region(region_model, municipality_model):
    region, _ = region_model.objects.get_or_create(slug=HACHINOHE_REGION["slug"], defaults=HACHINOHE_REGION)
    for code, county, name, kana in HACHINOHE_MUNICIPALITIES:
        municipality_model.objects.get_or_create(
            code=code,
            defaults={"region": region, "prefecture": "青森県", "county": county, "name": name, "kana": kana},
        )
    return region
