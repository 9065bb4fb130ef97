"""Japanese text normalisation: the one function every search in Renkei goes through.

Search compares normalised forms; pages always display the original text.
"""

from __future__ import annotations

import re
import unicodedata

# 旧字体 and name variants that people type either way. CJK compatibility ideographs such as 﨑
# (U+FA11) have no NFKC decomposition, so they are listed here too.
_VARIANTS = str.maketrans(
    {
        "髙": "高", "﨑": "崎", "嵜": "崎", "邊": "辺", "邉": "辺", "澤": "沢", "濱": "浜",
        "嶋": "島", "嶌": "島", "廣": "広", "國": "国", "齋": "斎", "齊": "斉", "德": "徳",
        "櫻": "桜", "瀨": "瀬", "冨": "富", "龍": "竜", "圓": "円", "驒": "騨", "槇": "槙",
        "﨟": "臈", "藏": "蔵", "眞": "真", "惠": "恵", "曾": "曽", "戶": "戸",
    }
)  # fmt: skip
# Hyphens and minus signs people type for "-": folded to "-" in search.
HYPHENS = "‐‑‒–—―−﹣－"
# In numbers (phone, postal code) long-vowel marks and box-drawing lines stand for a hyphen too.
NUMBER_DASHES = HYPHENS + "ｰー─━"
_DASHES = str.maketrans({c: "-" for c in HYPHENS})
_KANJI = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]"
# 霞ヶ関 / 霞ケ関 / 霞が関, 三ヵ所 / 三カ所 / 三か所: the small kana between kanji is a particle.
_GA_BETWEEN_KANJI = re.compile(rf"(?<={_KANJI})[ヶケゖけがガ](?={_KANJI})")
_KA_BETWEEN_KANJI = re.compile(rf"(?<={_KANJI})[ヵカゕか](?={_KANJI})")
# Control characters: C0 but tab and line breaks, DEL, and C1. A NUL cannot be stored by PostgreSQL
# and breaks SQLite's FTS; the others are debris of a broken export, never part of a name or a text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional formatting (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates, and the
# LRM, RLM and ALM marks): invisible, they make 「invoice\u202efdp.exe」 display as 「invoiceexe.pdf」.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Whitespace and every control character: removed from search forms.
_WHITESPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_PARTICLES = frozenset("ヶケゖけがガヵカゕか")


KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}


def katakana_to_hiragana(text: str) -> str:
    # str.translate: the facility import normalises every name of a national file through here.
    return text.translate(KATAKANA_TO_HIRAGANA)


def normalize(text: str | None) -> str:
    """Fold ``text`` to the form used for search.

    NFKC (full-width letters and digits, half-width kana), variant kanji, the ヶ/ケ/が particle in
    place names, katakana to hiragana, dashes to "-", all whitespace removed, Latin case folded.
    """
    if not text:
        return ""
    folded = _WHITESPACE.sub("", unicodedata.normalize("NFKC", text).casefold())
    # Removing spaces can bring a combining mark next to a letter, so compose once more then.
    if not unicodedata.is_normalized("NFKC", folded):
        folded = unicodedata.normalize("NFKC", folded)
    folded = folded.translate(_VARIANTS).translate(_DASHES)
    # The particle rules are regular expressions; most texts have none of their letters.
    if not _PARTICLES.isdisjoint(folded):
        folded = _GA_BETWEEN_KANJI.sub("が", folded)
        folded = _KA_BETWEEN_KANJI.sub("か", folded)
    return katakana_to_hiragana(folded)


def bigrams(normalized: str) -> list[str]:
    """The distinct two-character pieces of an already normalised text, sorted.

    Indexing these lets the database find any substring of two or more characters through an index
    (SQLite FTS5, PostgreSQL GIN) — Japanese has no spaces to split words on.
    """
    pieces = {normalized[i : i + 2] for i in range(len(normalized) - 1)}
    # Pieces of punctuation alone ("・(") carry nothing a full-text tokenizer would keep.
    return sorted(piece for piece in pieces if piece.isalnum() or piece[0].isalnum() or piece[1].isalnum())
