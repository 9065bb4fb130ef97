from __future__ import annotations

from collections import Counter

from renkei.directory.importers import run_import
from renkei.directory.models import Facility, FacilityService
from tests.directory.conftest import KAIGO_SAMPLE, kaigo_file, kaigo_row


def test_the_kaigo_sample_becomes_300_facilities_with_376_services(db):
    report = run_import("kaigo", [KAIGO_SAMPLE])

    assert report.written and report.errors == [] and report.warnings == []
    # 376 rows, 300 distinct 事業所番号 (counted in the file by hand).
    assert (report.rows, report.added, report.updated, report.unchanged) == (376, 300, 0, 0)
    assert Facility.objects.count() == 300
    assert FacilityService.objects.count() == 376
    per_municipality = Counter(Facility.objects.values_list("municipality__name", flat=True))
    assert per_municipality == {
        "八戸市": 205, "おいらせ町": 20, "五戸町": 18, "南部町": 16,
        "三戸町": 15, "階上町": 12, "田子町": 10, "新郷村": 4,
    }  # fmt: skip
    assert set(Facility.objects.values_list("source", flat=True)) == {"kaigo"}


def test_an_office_on_three_rows_is_named_after_its_most_specific_service(db):
    run_import("kaigo", [KAIGO_SAMPLE])

    # Rows 10–12 of the file: 定期巡回 (760), 訪問リハ (140) and a グループホーム (320, 定員 18).
    office = Facility.objects.get(care_office_number="0271000008")
    assert office.name == "階上かがやき第二グループホーム"
    assert office.name_kana == "はしかみかがやきだいにぐるーぷほーむ"
    assert office.category == "group_home"
    assert office.capacity == 18
    services = {s.code: (s.capacity, s.available_days) for s in office.services.all()}
    # 定員 0 means "not entered".
    assert services == {"760": (None, "平日,土曜日"), "140": (None, ""), "320": (18, "平日,土曜日")}
    assert office.municipality.name == "階上町"

    home = Facility.objects.get(care_office_number="0271000026")
    assert (home.name, home.category, home.capacity) == (
        "八戸かがやき特別養護老人ホーム",
        "special_nursing_home",
        80,
    )


def test_the_building_already_in_the_address_is_not_appended_twice(db):
    run_import("kaigo", [KAIGO_SAMPLE])
    office = Facility.objects.get(care_office_number="0271000000")
    assert office.address == "青森県八戸市長根二丁目39-25八戸ひだまりビル1階"
    assert (office.phone, office.fax) == ("0178-54-3748", "0178-33-5200")
    assert (office.latitude, office.longitude) == (40.515877, 141.475711)
    assert (office.source_file, office.source_row) == ("kaigo_sample_hachinohe.csv", 2)
    assert office.imported_at is not None


def test_the_search_text_covers_name_kana_and_services(db):
    run_import("kaigo", [KAIGO_SAMPLE])
    office = Facility.objects.get(care_office_number="0271000008")
    assert "ていきじゅんかい" in office.search_text
    assert "グループホーム" not in office.search_text  # normalised to hiragana
    assert "ぐるーぷほーむ" in office.search_text


def test_importing_the_same_file_twice_changes_nothing(db):
    run_import("kaigo", [KAIGO_SAMPLE])
    before = list(Facility.objects.order_by("id").values("id", "updated_at", "imported_at", "search_text"))

    report = run_import("kaigo", [KAIGO_SAMPLE])

    assert (report.added, report.updated, report.unchanged) == (0, 0, 300)
    assert (
        list(Facility.objects.order_by("id").values("id", "updated_at", "imported_at", "search_text"))
        == before
    )


def test_a_newer_file_updates_by_office_number_and_keeps_local_facts(db):
    run_import("kaigo", [kaigo_file([kaigo_row()])])
    station = Facility.objects.get(care_office_number="0291000001")
    station.round_the_clock = True
    station.acceptance_status = "consult"
    station.professional_note = "夜間は携帯へ"
    station.description = "地域の訪問看護"
    station.save()

    report = run_import(
        "kaigo", [kaigo_file([kaigo_row(電話番号="0178-62-9999", 事業所名="新テスト訪問看護")])]
    )

    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    station.refresh_from_db()
    assert (station.phone, station.name) == ("0178-62-9999", "新テスト訪問看護")
    assert station.round_the_clock is True
    assert station.acceptance_status == "consult"
    assert station.professional_note == "夜間は携帯へ"
    assert station.description == "地域の訪問看護"
    assert "新てすと訪問看護" in station.search_text


def test_a_service_file_of_another_type_adds_a_service_without_renaming_the_office(db):
    run_import(
        "kaigo",
        [
            kaigo_file(
                [kaigo_row(事業所名="テスト特養", サービスの種類="介護老人福祉施設", 定員="50")],
                "jigyosho_510.csv",
            )
        ],
    )
    report = run_import(
        "kaigo",
        [kaigo_file([kaigo_row(事業所名="テストヘルパー", サービスの種類="訪問介護")], "jigyosho_110.csv")],
    )

    assert report.updated == 1
    office = Facility.objects.get(care_office_number="0291000001")
    assert (office.name, office.category, office.capacity) == ("テスト特養", "special_nursing_home", 50)
    assert sorted(office.services.values_list("code", flat=True)) == ["110", "510"]


def test_the_service_type_comes_from_the_file_name_when_the_column_is_empty(db):
    report = run_import(
        "kaigo", [kaigo_file([kaigo_row(サービスの種類="")], "jigyosho_430_all_20260630.csv")]
    )
    assert report.added == 1
    assert Facility.objects.get().category == "care_management_office"


def test_full_snapshot_reports_offices_missing_from_it(db):
    run_import(
        "kaigo", [kaigo_file([kaigo_row(), kaigo_row(事業所番号="0291000002", 事業所名="閉じた訪問看護")])]
    )

    report = run_import("kaigo", [kaigo_file([kaigo_row()])], full=True, dry_run=True)

    assert (report.unchanged, report.missing) == (1, 1)
    assert [(m.code, m.name) for m in report.missing_facilities] == [("0291000002", "閉じた訪問看護")]
    # Without --full nothing is counted as missing.
    assert run_import("kaigo", [kaigo_file([kaigo_row()])], dry_run=True).missing == 0


def test_facilities_added_by_hand_after_an_import_get_fresh_ids(db, gonohe):
    run_import("kaigo", [kaigo_file([kaigo_row(), kaigo_row(事業所番号="0291000002")])])
    imported = set(Facility.objects.values_list("id", flat=True))

    manual = Facility.objects.create(name="手入力の通いの場", category="gathering_place", municipality=gonohe)
    run_import("kaigo", [kaigo_file([kaigo_row(事業所番号="0291000003")])])

    assert manual.pk > max(imported)
    assert Facility.objects.get(care_office_number="0291000003").pk > manual.pk
