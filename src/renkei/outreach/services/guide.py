"""Printable resource guides (地域資源ガイド) from the live directory: A4, or an A5 booklet imposed for folding.

A guide covers one municipality (or the whole region) and some or all categories: a cover, a table
of contents, one section per category (subsections per municipality when it covers several), each
entry with its address, phone, what it offers and its 最終確認日, and an index by name in 五十音 order.
Page numbers in the contents and the index are WeasyPrint's ``target-counter``.

The A5 booklet is the same document set on A5 pages, then imposed two pages to a landscape A4 sheet
in saddle-stitch order (printed on both sides and folded, the pages come out in order), by pypdf.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from itertools import groupby

from django.utils import timezone

from renkei.core.fiscal import day_label, era_year
from renkei.core.pdf import render_pdf
from renkei.core.services import RuleError
from renkei.core.text import katakana_to_hiragana
from renkei.directory.catalog import Category
from renkei.directory.models import Facility, category_label
from renkei.outreach.services import scope

LAYOUTS = {"a4": "A4", "a5": "A5 冊子（A4 横に 2 ページずつ面付け）"}
A4_LANDSCAPE = (841.89, 595.28)  # points (297 × 210 mm): two A5 pages (148 mm each) and a 0.5 mm margin

# The 行 of the 五十音 index: the first kana of each row, and the kana it holds.
GOJUON_ROWS = [
    ("あ", "あいうえお"), ("か", "かきくけこ"), ("さ", "さしすせそ"), ("た", "たちつてと"), ("な", "なにぬねの"),
    ("は", "はひふへほ"), ("ま", "まみむめも"), ("や", "やゆよ"), ("ら", "らりるれろ"), ("わ", "わをん"),
]  # fmt: skip
_ROW_OF = {kana: row for row, members in GOJUON_ROWS for kana in members}
_SMALL = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
OTHER_ROW = "英数字・その他"


def reading(facility: Facility) -> str:
    """The name as read, in hiragana (full-width, no spaces), for sorting and the index."""
    text = unicodedata.normalize("NFKC", facility.name_kana or facility.name)
    return katakana_to_hiragana(text).replace(" ", "").replace("\u3000", "")


def gojuon_key(facility: Facility) -> tuple[str, str, str]:
    """五十音 order: voiced and small kana sort with their plain kana (ご with こ, ゃ with や), the long
    vowel mark is passed over; ties are broken by the exact reading, then the name."""
    text = reading(facility)
    plain = "".join(ch for ch in unicodedata.normalize("NFD", text) if ch not in "\u3099\u309a")
    plain = unicodedata.normalize("NFC", plain).translate(_SMALL).replace("ー", "")
    return (plain if plain[:1] in _ROW_OF else "\uffff" + plain, text, facility.name)


def gojuon_row(facility: Facility) -> str:
    first = gojuon_key(facility)[0][:1]
    return _ROW_OF.get(first, OTHER_ROW)


@dataclass
class Entry:
    facility: Facility
    anchor: str
    offer: str
    verified: str

    @property
    def name(self) -> str:
        return self.facility.name


@dataclass
class Section:
    title: str
    anchor: str
    areas: list[tuple[str, list[Entry]]] = field(default_factory=list)


@dataclass
class Guide:
    title: str
    subtitle: str
    made_on: str
    sections: list[Section]
    index: list[tuple[str, list[Entry]]]
    licenses: list[dict[str, str]]
    layout: str

    @property
    def entries(self) -> list[Entry]:
        return [entry for section in self.sections for _area, entries in section.areas for entry in entries]


def verified_label(facility: Facility) -> str:
    """The entry's 最終確認日 as printed (``2026年10月1日``, the day in Asia/Tokyo), or 未確認."""
    return day_label(timezone.localdate(facility.verified_at)) if facility.verified_at else "未確認"


def build_guide(
    municipality_code: str = "", categories: list[str] | None = None, layout: str = "a4"
) -> Guide:
    """The guide's content from the live directory (public fields only). RuleError for an unknown
    municipality, category or layout."""
    if layout not in LAYOUTS:
        raise RuleError("レイアウトは a4 または a5 を指定してください。", "layout")
    unknown = sorted(set(categories or []) - set(Category.values))
    if unknown:
        raise RuleError(f"種別「{'、'.join(unknown)}」はありません。", "category")
    municipality = scope.municipality_in_region(municipality_code) if municipality_code else None
    qs = scope.public_facilities().prefetch_related("services")
    qs = qs.filter(municipality=municipality) if municipality else qs
    if categories:
        qs = qs.filter(category__in=categories)
    facilities = list(qs)
    sections = _sections(facilities, several_areas=municipality is None)
    entries = [entry for section in sections for _area, group in section.areas for entry in group]
    ordered = sorted(entries, key=lambda entry: gojuon_key(entry.facility))
    index = [(row, list(group)) for row, group in groupby(ordered, key=lambda e: gojuon_row(e.facility))]
    today = timezone.localdate()
    place = municipality.name if municipality else _region_name()
    kinds = "・".join(category_label(c) for c in Category.values if c in (categories or []))
    return Guide(
        title=f"{place} 医療・介護・地域資源ガイド",
        subtitle=kinds or "医療・介護・地域の資源",
        made_on=f"{day_label(today)}（{era_year(today.year)}年）作成",
        sections=sections,
        index=index,
        licenses=scope.licenses_of(facilities),
        layout=layout,
    )


def _region_name() -> str:
    municipality = scope.region_municipalities().select_related("region").first()
    return municipality.region.name if municipality and municipality.region else "圏域"


def _sections(facilities: list[Facility], *, several_areas: bool) -> list[Section]:
    """One section per category in the directory's order; inside, one group per municipality."""
    order = {category: position for position, category in enumerate(Category.values)}

    def by_category(facility: Facility) -> int:
        return order.get(facility.category, len(order))

    sections = []
    for number, (category, members) in enumerate(
        groupby(sorted(facilities, key=by_category), key=lambda f: f.category), start=1
    ):
        section = Section(title=category_label(category), anchor=f"section-{number}")
        by_area = sorted(members, key=lambda f: (f.municipality.code, gojuon_key(f)))
        for municipality, group in groupby(by_area, key=lambda f: f.municipality):
            entries = [Entry(f, f"entry-{f.pk}", scope.offer_text(f), verified_label(f)) for f in group]
            section.areas.append((municipality.name if several_areas else "", entries))
        sections.append(section)
    return sections


def guide_pdf(municipality_code: str = "", categories: list[str] | None = None, layout: str = "a4") -> bytes:
    """The guide as PDF: A4 pages, or the A5 booklet imposed on A4 sheets."""
    guide = build_guide(municipality_code, categories, layout)
    content = render_pdf("outreach/guide_pdf.html", {"guide": guide, "a5": layout == "a5"})
    return impose_booklet(content) if layout == "a5" else content


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """The (left, right) page numbers (1-based; beyond ``pages`` = blank) of each printed side, in
    printing order, for a saddle-stitched booklet of ``pages`` pages rounded up to a multiple of 4."""
    total = -(-pages // 4) * 4
    sides = []
    for sheet in range(total // 4):
        sides.append((total - 2 * sheet, 2 * sheet + 1))  # front
        sides.append((2 * sheet + 2, total - 2 * sheet - 1))  # back
    return sides


def impose_booklet(a5_pdf: bytes) -> bytes:
    """Two A5 pages side by side on each landscape A4 side, in booklet order."""
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(io.BytesIO(a5_pdf))
    pages = list(reader.pages)
    width, height = A4_LANDSCAPE
    page_width = float(pages[0].mediabox.width)
    margin = (width - 2 * page_width) / 2
    writer = PdfWriter()
    for left, right in booklet_order(len(pages)):
        side = writer.add_blank_page(width=width, height=height)
        for number, offset in ((left, margin), (right, margin + page_width)):
            if number <= len(pages):
                side.merge_transformed_page(pages[number - 1], Transformation().translate(tx=offset, ty=0))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
