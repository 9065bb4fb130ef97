from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from renkei.directory.catalog import Category
from renkei.directory.models import Facility


def test_the_demo_loads_480_facilities_of_every_category_in_all_eight_municipalities(db):
    first = StringIO()
    call_command("load_demo", stdout=first)

    # kaigo sample 300 offices + iryo sample 8 + 70 + 40 + Renkei template sample 62 resources.
    assert Facility.objects.count() == 480
    assert set(Facility.objects.values_list("category", flat=True)) == set(Category.values)
    assert Facility.objects.values("municipality").distinct().count() == 8
    assert Facility.objects.filter(round_the_clock=True, category="visiting_nurse_station").exists()
    assert Facility.objects.filter(home_visit_care=True, category="clinic").exists()
    verified = Facility.objects.filter(verified_at__isnull=False).count()
    assert 0.6 * 480 < verified < 0.8 * 480
    assert "施設データ（kaigo）: 取り込み結果: 追加 300 件" in first.getvalue()

    second = StringIO()
    before = list(Facility.objects.order_by("id").values_list("id", "updated_at", "verified_at"))
    call_command("load_demo", stdout=second)
    assert list(Facility.objects.order_by("id").values_list("id", "updated_at", "verified_at")) == before
    assert "追加 0 件、更新 0 件、変更なし 300 件" in second.getvalue()
