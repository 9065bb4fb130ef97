from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from renkei.directory.importers import InputFile

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "renkei" / "directory" / "data" / "samples"
KAIGO_SAMPLE = SAMPLES / "kaigo_sample_hachinohe.csv"
IRYO_FILES = sorted((SAMPLES / "iryo").glob("*.csv"))
RESOURCES_SAMPLE = SAMPLES / "renkei_template_sample_resources.csv"
CAPABILITIES_SAMPLE = SAMPLES / "renkei_template_sample_capabilities.csv"

KAIGO_HEADER = (
    "都道府県コード又は市町村コード,No,都道府県名,市区町村名,事業所名,事業所名カナ,サービスの種類,住所,"
    "方書（ビル名等）,緯度,経度,電話番号,FAX番号,法人番号,法人の名称,事業所番号,利用可能曜日,"
    "利用可能曜日特記事項,定員,URL,高齢者の方と障害者の方が同時一体的に利用できるサービス,"
    "介護保険の通常の指定基準を満たしている,障害福祉の通常の指定基準を満たしている,備考"
).split(",")


def kaigo_row(**values) -> dict[str, str]:
    """A valid row of the official layout (a 五戸町 visiting nurse station unless told otherwise)."""
    row = dict.fromkeys(KAIGO_HEADER, "")
    row.update(
        {
            "都道府県コード又は市町村コード": "024422",
            "都道府県名": "青森県",
            "市区町村名": "五戸町",
            "事業所名": "テスト訪問看護ステーション",
            "事業所名カナ": "テストホウモンカンゴステーション",
            "サービスの種類": "訪問看護",
            "住所": "青森県三戸郡五戸町字古堂1-1",
            "緯度": "40.5267",
            "経度": "141.2962",
            "電話番号": "0178-62-0001",
            "事業所番号": "0291000001",
            "No": "0291000001",
            "定員": "0",
        }
    )
    row.update(values)
    return row


def csv_bytes(header: list[str], rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return buffer.getvalue().encode(encoding)


def kaigo_file(
    rows: list[dict[str, str]], name: str = "jigyosho_130.csv", encoding: str = "utf-8-sig"
) -> InputFile:
    return InputFile.from_bytes(name, csv_bytes(KAIGO_HEADER, rows, encoding))


@pytest.fixture
def region(db):
    from renkei.core.models import Region

    return Region.objects.get(slug="hachinohe")


def template_file(rows: list[list[str]], name: str = "template.csv", with_example: bool = True) -> InputFile:
    """The downloadable Renkei template (CSV) with its example row kept, and ``rows`` below it
    (cells in the order of the headings; missing cells are empty). The first of ``rows`` is row 3."""
    from renkei.directory.importers.renkei_template import template_csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    head = template_csv()
    if not with_example:
        head = head.split(b"\r\n")[0] + b"\r\n"
    return InputFile.from_bytes(name, head + buffer.getvalue().encode("utf-8"))
