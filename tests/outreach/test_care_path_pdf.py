"""The printed 認知症ケアパス: an A4 landscape table read back with pdfplumber — every cell's text in its
stage and kind, every entry's name and phone, the entries' 最終確認日 — from the page and the command."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from renkei.core.models import Organization, User
from renkei.outreach.models import DementiaCarePath
from renkei.outreach.services import care_path
from tests.conftest import make_user

STAGES = ["気づき", "初期", "中期", "後期", "終末期"]
KINDS = ["相談", "医療", "介護", "生活支援", "家族支援", "住まい"]


@pytest.fixture
def hana(hachinohe) -> User:
    office = Organization.objects.create(
        name="八戸市役所 高齢福祉課", kind=Organization.Kind.MUNICIPAL_OFFICE, municipality=hachinohe
    )
    return make_user("hana", office, User.Role.MUNICIPALITY_STAFF)


@pytest.fixture
def path(hana, hachinohe, directory) -> DementiaCarePath:
    path = care_path.care_path_for_editing(hana, hachinohe)
    care_path.save_settings(hana, path, title="八戸市 認知症ケアパス", introduction="早めの相談が安心です。")
    cells = {
        ("awareness", "consultation"): ("もの忘れが気になったら地域包括支援センターへ", ["minato_nurse"]),
        ("early", "medical"): ("もの忘れ外来で診断を受けられます", ["nakai_clinic"]),
        ("middle", "care"): ("デイサービスで日中を過ごします", ["no_location_day"]),
        ("late", "family"): ("家族の集まりで話せます", []),
        ("end_of_life", "housing"): ("施設での看取りもあります", ["gonohe_nurse", "minato_nurse"]),
    }
    for (stage, kind), (text, names) in cells.items():
        ids = [directory[name].pk for name in names]
        care_path.save_cell(hana, path, stage, kind, text=text, facility_ids=ids)
    return path


def tables(content: bytes) -> list[list[list[str]]]:
    """Every row of the care path's table (its header row repeats on each page it spans); the entries'
    list after it is not a table (its rules are lines between entries)."""
    rows = []
    with pdfplumber.open(io.BytesIO(content)) as document:
        for page in document.pages:
            assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape
            for table in page.extract_tables():
                if table and table[0][0] == "支援":
                    rows.extend([[(cell or "").replace("\n", "") for cell in row] for row in table])
    return rows


def text_of(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_the_pdf_is_a_table_of_stages_and_kinds_holding_each_cell(path):
    rows = tables(care_path.care_path_pdf("022039"))
    header = rows[0]
    assert header == ["支援", *STAGES]
    body = {row[0]: row[1:] for row in rows if row != header}
    assert list(body) == KINDS
    assert (
        body["相談"][0]
        == "もの忘れが気になったら地域包括支援センターへみなと訪問看護ステーション電話 0178-00-0001"
    )
    assert (
        body["医療"][1] == "もの忘れ外来で診断を受けられますなかい内科クリニック"
    )  # no phone in the directory
    assert body["介護"][2] == "デイサービスで日中を過ごしますデイサービス新郷"
    assert body["家族支援"][3] == "家族の集まりで話せます"
    assert body["住まい"][4] == (
        "施設での看取りもあります五戸ナースステーションみなと訪問看護ステーション電話 0178-00-0001"
    )
    assert body["住まい"][0] == "" and body["相談"][1] == ""


def test_the_pdf_lists_each_entry_once_with_its_confirmation_date_and_the_print_date(path):
    text = text_of(care_path.care_path_pdf("022039"))
    assert text.startswith("八戸市 認知症ケアパス\n")
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in text and "印刷" in text
    assert "早めの相談が安心です。" in text
    assert "下書き（未公開）" in text
    listing = text[text.index("掲載している相談先・施設") :]
    names = re.findall(r"^(\S+)$", listing, re.M)[2:]  # after the heading and its note
    assert names == [
        "みなと訪問看護ステーション", "なかい内科クリニック", "デイサービス新郷", "五戸ナースステーション",
    ]  # fmt: skip
    assert "住所 青森県八戸市湊町字館鼻1-1\n電話 0178-00-0001\n確認 最終確認日 2026年10月1日" in listing
    assert "確認 最終確認日 2025年1月10日" in listing  # 五戸ナースステーション
    assert listing.count("最終確認日 未確認") == 2
    assert "0178-00-9001" not in text  # professional-only direct line
    assert "公共データ利用規約" not in text and "CC BY 4.0" in text  # the sources of these entries


def test_a_published_care_path_prints_without_the_draft_mark_and_without_closed_entries(
    hana, path, directory
):
    care_path.set_published(hana, path, True)
    clinic = directory["nakai_clinic"]
    clinic.status = "closed"
    clinic.save(update_fields=["status"])
    text = text_of(care_path.care_path_pdf("022039"))
    assert "下書き" not in text
    assert "なかい内科クリニック" not in text
    assert "もの忘れ外来で診断を受けられます" in text


def test_staff_download_the_pdf_from_the_grid(client, hana, path):
    client.force_login(hana)
    assert (
        'href="/staff/outreach/care-path/022039/pdf/">PDFを印刷</a>'
        in client.get("/staff/outreach/care-path/").content.decode()
    )
    response = client.get("/staff/outreach/care-path/022039/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="dementia-care-path-022039.pdf"'
    assert "もの忘れが気になったら地域包括支援センターへ" in text_of(response.content).replace("\n", "")


def test_the_command_writes_the_care_path_pdf(path, tmp_path):
    output = tmp_path / "care-path.pdf"
    stdout = io.StringIO()
    call_command("outreach", "care-path", "--municipality", "022039", str(output), stdout=stdout)
    assert "認知症ケアパス、A4 横" in stdout.getvalue()
    assert tables(output.read_bytes())[0] == ["支援", *STAGES]


def test_the_command_refuses_a_municipality_without_a_care_path_or_outside_the_region(path, tmp_path):
    with pytest.raises(CommandError, match="五戸町の認知症ケアパスはまだ作られていません。"):
        call_command("outreach", "care-path", "--municipality", "024422", str(tmp_path / "a.pdf"))
    with pytest.raises(CommandError, match="市町村コード「999999」の市町村はこの圏域にありません。"):
        call_command("outreach", "care-path", "--municipality", "999999", str(tmp_path / "a.pdf"))
    with pytest.raises(CommandError, match=r"\.pdf にしてください"):
        call_command("outreach", "care-path", "--municipality", "022039", str(tmp_path / "a.txt"))
