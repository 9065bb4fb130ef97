"""GET /api/v1/opendata/{dataset}.csv: the 自治体標準オープンデータセット layouts, per municipality."""

from __future__ import annotations

import csv
import io

import pytest

# The published layouts, column by column (デジタル庁「自治体標準オープンデータセット」, formerly
# 「推奨データセット」: 介護サービス事業所一覧 22 columns, 医療機関一覧 26 columns), written out here.
CARE_SERVICE_LAYOUT = (
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,介護サービス事業所名称,"
    "介護サービス事業所名称_カナ,実施サービス,住所,方書,緯度,経度,電話番号,内線番号,FAX番号,法人番号,"
    "法人の名称,事業所番号,利用可能曜日,利用可能曜日特記事項,定員,URL,備考"
)
MEDICAL_INSTITUTION_LAYOUT = (
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称,名称_カナ,医療機関の種類,住所,方書,"
    "緯度,経度,電話番号,内線番号,FAX番号,法人番号,法人の名称,医療機関コード,診療曜日,診療開始時間,"
    "診療終了時間,診療日時特記事項,時間外における対応,診療科目,病床数,URL,備考"
)


def read(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    ("dataset", "layout"),
    [("care_service", CARE_SERVICE_LAYOUT), ("medical_institution", MEDICAL_INSTITUTION_LAYOUT)],
)
def test_the_header_is_the_published_layout(client, directory, dataset, layout):
    response = client.get(f"/api/v1/opendata/{dataset}.csv", {"municipality": "022039"})
    header = response.content.decode("utf-8-sig").split("\r\n", 1)[0]
    assert header == layout
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="022039_{dataset}.csv"'


def test_care_services_of_one_municipality(client, directory):
    rows = read(client.get("/api/v1/opendata/care_service.csv", {"municipality": "022039"}))
    # The closed day service is left out; the two stations offer 訪問看護 (code 130).
    assert [(r["介護サービス事業所名称"], r["実施サービス"]) for r in rows] == [
        ("櫛引訪問看護ステーション", "訪問看護"),
        ("みなと訪問看護ステーション", "訪問看護"),
    ]
    minato = rows[1]
    assert minato["都道府県コード又は市区町村コード"] == "022039"
    assert (minato["都道府県名"], minato["市区町村名"]) == ("青森県", "八戸市")
    assert minato["住所"] == "青森県八戸市湊町字館鼻1-1"
    assert (minato["緯度"], minato["経度"], minato["電話番号"]) == ("40.5325", "141.529", "0178-00-0001")
    assert minato["備考"] == "最終確認日 2026-10-01"
    assert rows[0]["備考"] == "最終確認日 未確認"
    assert "0178-00-9001" not in str(rows)  # the professional-only direct line


def test_one_row_per_service_offered(client, directory):
    rows = read(client.get("/api/v1/opendata/care_service.csv", {"municipality": "024503"}))
    assert [(r["介護サービス事業所名称"], r["実施サービス"]) for r in rows] == [
        ("デイサービス新郷", "通所介護"),
        ("デイサービス新郷", "認知症対応型通所介護"),
    ]
    assert rows[0]["NO"] != rows[1]["NO"]


def test_medical_institutions(client, directory):
    rows = read(client.get("/api/v1/opendata/medical_institution.csv", {"municipality": "022039"}))
    assert [(r["名称"], r["医療機関の種類"]) for r in rows] == [("なかい内科クリニック", "無床診療所")]
    assert rows[0]["診療科目"] == "内科;消化器内科"
    assert rows[0]["時間外における対応"] == "往診;訪問診療"
    rows = read(client.get("/api/v1/opendata/medical_institution.csv", {"municipality": "024414"}))
    assert [(r["名称"], r["医療機関の種類"], r["診療科目"]) for r in rows] == [
        ("三戸中央病院", "病院", "内科;整形外科")
    ]


def test_the_licence_of_the_sources_is_linked(client, directory):
    response = client.get("/api/v1/opendata/care_service.csv", {"municipality": "022039"})
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/deed.ja>; rel="license"'


def test_a_name_that_looks_like_a_formula_is_written_as_text(client, directory):
    from tests.directory.search_fixtures import make_facility

    make_facility("=HYPERLINK(1)", "いこーる", "day_service", "022039", services=["150"])
    rows = read(client.get("/api/v1/opendata/care_service.csv", {"municipality": "022039"}))
    assert "'=HYPERLINK(1)" in [r["介護サービス事業所名称"] for r in rows]


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/opendata/care_service.csv", 400, "invalid_parameter"),
        ("/api/v1/opendata/care_service.csv?municipality=13101", 400, "invalid_parameter"),
        ("/api/v1/opendata/care_service.csv?municipality=131016", 400, "invalid_parameter"),
        ("/api/v1/opendata/aed_location.csv?municipality=022039", 404, "not_found"),
    ],
)
def test_wrong_requests_answer_the_one_error_body(client, directory, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
