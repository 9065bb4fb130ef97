from __future__ import annotations

import pytest

from renkei.core.models import Municipality, Region


@pytest.mark.django_db
def test_migration_provides_the_hachinohe_region_with_its_eight_municipalities():
    region = Region.objects.get(slug="hachinohe")
    assert region.name == "八戸地域保健医療圏域"
    assert region.prefecture == "青森県"
    assert {(m.code, m.name) for m in region.municipalities.all()} == {
        ("022039", "八戸市"),
        ("024121", "おいらせ町"),
        ("024414", "三戸町"),
        ("024422", "五戸町"),
        ("024431", "田子町"),
        ("024457", "南部町"),
        ("024465", "階上町"),
        ("024503", "新郷村"),
    }


@pytest.mark.django_db
def test_towns_know_their_county():
    assert Municipality.objects.get(code="024121").full_name == "青森県上北郡おいらせ町"
    assert Municipality.objects.get(code="022039").full_name == "青森県八戸市"
