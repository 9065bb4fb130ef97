"""A small hand-made directory whose search results are known by heart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from renkei.core.models import Municipality
from renkei.directory.catalog import AcceptanceStatus, Category, FacilityStatus
from renkei.directory.models import Facility, FacilityService


def make_facility(
    name: str, kana: str, category: str, municipality_code: str, *, services=(), **fields
) -> Facility:
    facility = Facility.objects.create(
        name=name,
        name_kana=kana,
        category=category,
        municipality=Municipality.objects.get(code=municipality_code),
        **fields,
    )
    for code in services:
        FacilityService.objects.create(facility=facility, code=code)
    facility.set_search_fields(list(services))
    facility.save(update_fields=["search_text", "search_grams"])
    return facility


@pytest.fixture
def directory(db) -> dict[str, Facility]:
    """Nine resources in four municipalities; coordinates near real town centroids."""
    return {
        "minato_nurse": make_facility(
            "みなと訪問看護ステーション", "みなとほうもんかんごすてーしょん", Category.VISITING_NURSE_STATION, "022039",
            services=["130"], address="青森県八戸市湊町字館鼻1-1", latitude=40.5325, longitude=141.5290,
            phone="0178-00-0001", round_the_clock=True, end_of_life_care=True,
            acceptance_status=AcceptanceStatus.ACCEPTING, verified_at=datetime(2026, 10, 1, tzinfo=UTC),
            direct_phone="0178-00-9001", liaison_contact="連携担当 山田",
        ),
        "kushibiki_nurse": make_facility(
            "櫛引訪問看護ステーション", "くしひきほうもんかんごすてーしょん", Category.VISITING_NURSE_STATION, "022039",
            services=["130"], address="青森県八戸市櫛引字上ノ沢1", latitude=40.4820, longitude=141.4390,
            round_the_clock=False, acceptance_status=AcceptanceStatus.CONSULT,
        ),
        "gonohe_nurse": make_facility(
            "五戸ナースステーション", "ごのへなーすすてーしょん", Category.VISITING_NURSE_STATION, "024422",
            services=["130"], address="青森県三戸郡五戸町字古舘1", latitude=40.5310, longitude=141.3090,
            round_the_clock=True, verified_at=datetime(2025, 1, 10, tzinfo=UTC),
        ),
        "nakai_clinic": make_facility(
            "なかい内科クリニック", "なかいないかくりにっく", Category.CLINIC, "022039",
            address="青森県八戸市番町1-1", latitude=40.5120, longitude=141.4880, specialties=["内科", "消化器内科"],
            house_call=True, home_visit_care=True, end_of_life_care=None,
        ),
        "sannohe_hospital": make_facility(
            "三戸中央病院", "さんのへちゅうおうびょういん", Category.HOSPITAL, "024414",
            address="青森県三戸郡三戸町大字川守田字沖中1", latitude=40.3790, longitude=141.2560, specialties=["内科", "整形外科"],
            home_visit_care=False,
        ),
        "oirase_care": make_facility(
            "おいらせケアプランセンター", "おいらせけあぷらんせんたー", Category.CARE_MANAGEMENT_OFFICE, "024121",
            services=["430"], address="青森県上北郡おいらせ町中下田1", latitude=40.6000, longitude=141.3980,
            verified_at=datetime(2026, 6, 1, tzinfo=UTC),
        ),
        "hashikami_salon": make_facility(
            "はしかみ いきいきサロン", "はしかみいきいきさろん", Category.GATHERING_PLACE, "024465",
            address="青森県三戸郡階上町道仏1", latitude=40.4510, longitude=141.6180,
        ),
        "closed_day": make_facility(
            "旧みなとデイサービス", "きゅうみなとでいさーびす", Category.DAY_SERVICE, "022039",
            services=["150"], address="青森県八戸市湊町1", latitude=40.5320, longitude=141.5280,
            status=FacilityStatus.CLOSED,
        ),
        "no_location_day": make_facility(
            "デイサービス新郷", "でいさーびすしんごう", Category.DAY_SERVICE, "024503",
            services=["150", "720"], address="青森県三戸郡新郷村大字戸来1", dementia_care=True,
        ),
    }  # fmt: skip
