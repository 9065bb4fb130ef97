"""Printable resource guides: the PDF's text read back (pdfplumber) and compared with the directory."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from django.core.management import CommandError, call_command

from renkei.outreach.services import guide
from tests.directory.search_fixtures import make_facility

INDEX_ORDER = [
    "おいらせケアプランセンター",
    "櫛引訪問看護ステーション",
    "五戸ナースステーション",
    "三戸中央病院",
    "デイサービス新郷",
    "なかい内科クリニック",
    "はしかみ いきいきサロン",
    "みなと訪問看護ステーション",
]
LEADER = re.compile(r"^(?P<name>.+?)\.{3,}(?P<page>\d+)$")  # a line of the contents
INDEX_LINE = re.compile(r"^(?P<name>.+?) …… (?P<page>\d+)$")


def page_texts(content: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(content)) as document:
        return [page.extract_text() or "" for page in document.pages]


def index_lines(pages: list[str]) -> list[tuple[str, int]]:
    text = "\n".join(pages)
    index = text[text.rindex("名前から探す（五十音順）") :]
    return [
        (m["name"], int(m["page"])) for line in index.splitlines() if (m := INDEX_LINE.match(line.strip()))
    ]


def test_the_a4_guide_lists_every_entry_with_its_confirmation_and_a_sorted_index(directory):
    pages = page_texts(guide.guide_pdf())
    text = "\n".join(pages)
    assert "八戸地域保健医療圏域 医療・介護・地域資源" in pages[0]
    for name in INDEX_ORDER:
        assert text.count(name) >= 2, name  # its entry and its index line
    assert "旧みなとデイサービス" not in text  # closed
    assert "0178-00-9001" not in text and "連携担当" not in text  # professional-only fields
    minato = text[text.index("みなと訪問看護ステーション みなと") :]
    assert minato.splitlines()[1:5] == [
        "住所 青森県八戸市湊町字館鼻1-1",
        "電話 0178-00-0001",
        "内容 提供サービス: 訪問看護。対応: 24時間対応、看取り",
        "確認 最終確認日 2026年10月1日",
    ]
    assert "確認 最終確認日 2025年1月10日" in text  # 五戸ナースステーション
    assert text.count("確認 最終確認日 ") == 8
    assert text.count("確認 最終確認日 未確認") == 5
    index = index_lines(pages)
    assert [name for name, _page in index] == INDEX_ORDER
    for name, page in index:  # the index points at the page that holds the entry
        assert f"{name} " in pages[page - 1], (name, page)
    assert re.findall(r"^([あかさたなはまやらわ])$", text[text.rindex("名前から探す") :], re.M) == [
        "あ", "か", "さ", "た", "な", "は", "ま",
    ]  # fmt: skip


def test_sections_follow_the_categories_and_the_table_of_contents(directory):
    pages = page_texts(guide.guide_pdf())
    contents = [m["name"] for line in pages[1].splitlines() if (m := LEADER.match(line.strip()))]
    assert contents == [
        "病院",
        "診療所",
        "訪問看護ステーション",
        "居宅介護支援事業所",
        "通所介護（デイサービス）",
        "通いの場",
        "名前から探す（五十音順）",
    ]
    nurses = "\n".join(pages)
    nurses = nurses[nurses.index("訪問看護ステーション\n八戸市") :]
    # Areas inside the section: 八戸市 first (by code), then 五戸町.
    assert nurses.index("櫛引訪問看護") < nurses.index("みなと訪問看護") < nurses.index("五戸町\n五戸ナース")


def test_a_guide_of_one_municipality_and_category(directory):
    text = "\n".join(page_texts(guide.guide_pdf("022039", ["clinic", "gathering_place"])))
    assert "八戸市 医療・介護・地域資源ガイド" in text
    assert "なかい内科クリニック" in text
    for other in ("みなと訪問看護", "三戸中央病院", "はしかみ"):
        assert other not in text


def test_the_a5_booklet_is_imposed_for_folding(directory):
    content = guide.guide_pdf("022039", layout="a5")
    with pdfplumber.open(io.BytesIO(content)) as document:
        sides = []
        for page in document.pages:
            assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape
            half = page.width / 2
            sides.append(
                (
                    page.crop((0, 0, half, page.height)).extract_text() or "",
                    page.crop((half, 0, page.width, page.height)).extract_text() or "",
                )
            )
    # Four A5 pages (cover, contents, entries, index) on one sheet: front 4|1, back 2|3.
    assert len(sides) == 2
    (back_cover, cover), (contents, entries) = sides
    assert "4 / 4" in back_cover and "名前から探す（五十音順）" in back_cover
    assert "八戸市 医療・介護・地域資源ガイド" in cover
    assert "目次" in contents and "2 / 4" in contents
    assert "みなと訪問看護ステーション" in entries and "3 / 4" in entries


def test_booklet_order():
    assert guide.booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert guide.booklet_order(5) == [(8, 1), (2, 7), (6, 3), (4, 5)]  # 6–8 blank
    assert guide.booklet_order(1) == [(4, 1), (2, 3)]


def test_gojuon_order_puts_voiced_small_and_katakana_readings_with_their_kana(db):
    facilities = [
        make_facility(name, kana, "gathering_place", "022039")
        for name, kana in [
            ("五戸", "ごのへ"),
            ("コスモス", "コスモス"),
            ("河合", "ｶﾜｲ"),
            ("高知", "こうち"),
            ("ABC", ""),
            ("きゃらばん", "きゃらばん"),
        ]
    ]
    ordered = sorted(facilities, key=guide.gojuon_key)
    assert [f.name for f in ordered] == ["河合", "きゃらばん", "高知", "コスモス", "五戸", "ABC"]
    assert [guide.gojuon_row(f) for f in ordered] == ["か", "か", "か", "か", "か", "英数字・その他"]


def test_the_command_writes_the_guide(directory, tmp_path):
    out = tmp_path / "guide.pdf"
    call_command(
        "outreach", "guide", str(out), "--municipality", "022039", "--category", "clinic", "--layout", "a4"
    )
    text = "\n".join(page_texts(out.read_bytes()))
    assert "なかい内科クリニック" in text and "みなと訪問看護" not in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--municipality", "131016"], "この圏域にありません"),
        (["--municipality", "abc"], "6桁の数字"),
    ],
)
def test_the_command_refuses_in_japanese(directory, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("outreach", "guide", str(tmp_path / "guide.pdf"), *arguments)
    with pytest.raises(CommandError, match=r"\.pdf"):
        call_command("outreach", "guide", str(tmp_path / "guide.txt"))


def test_the_staff_page_prints_the_guide(client, directory, bob):
    assert client.get("/staff/outreach/guide/").status_code == 302  # login first
    client.force_login(bob)
    page = client.get("/staff/outreach/guide/")
    assert page.status_code == 200
    assert 'data-testid="guide-print"' in page.content.decode()
    response = client.get("/staff/outreach/guide/", {"print": "1", "municipality": "024422", "layout": "a4"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="resource-guide-024422-a4.pdf"'
    assert "五戸ナースステーション" in "\n".join(page_texts(response.content))
    home = client.get("/staff/").content.decode()
    assert "/staff/outreach/guide/" in home


def test_the_staff_page_refuses_a_wrong_choice(client, directory, bob):
    client.force_login(bob)
    response = client.get("/staff/outreach/guide/", {"print": "1", "layout": "b5"})
    assert response.status_code == 400
