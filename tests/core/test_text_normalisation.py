from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renkei.core.text import normalize


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # Place names of the seed survey, typed the ways people type them.
        ("オイラセ町", "おいらせ町"),
        ("ｵｲﾗｾ町", "おいらせ町"),
        ("おいらせ 町", "おいらせ町"),
        ("五戸　町", "五戸町"),
        ("階上町", "階上町"),
        ("ハシカミ", "はしかみ"),
        ("三戸郡 田子町", "三戸郡田子町"),
        ("八戸市医師会", "八戸市 医師会"),
        # Service names in full- and half-width kana.
        ("ﾎｳﾓﾝｶﾝｺﾞ", "ほうもんかんご"),
        ("ホウモンカンゴ", "ほうもんかんご"),
        # Variant characters in names.
        ("髙橋", "高橋"),
        ("山﨑", "山崎"),
        ("渡邊", "渡辺"),
        ("霞ヶ関", "霞が関"),
        ("霞ケ関", "霞が関"),
        ("三ヵ所", "三か所"),
        # Digits, Latin letters and dashes.
        ("０１７８－２２－１２３４", "0178-22-1234"),
        ("ＡＢＣ", "abc"),
    ],
)
def test_typed_and_stored_forms_match(typed, stored):
    assert normalize(typed) == normalize(stored)


def test_different_places_stay_different():
    assert normalize("三戸町") != normalize("五戸町")
    assert normalize("南部町") != normalize("南郷")


def test_katakana_words_keep_ke_and_ka_outside_place_particles():
    assert normalize("ケアマネジャー") == "けあまねじゃー"
    assert normalize("カフェ") == "かふぇ"


def test_empty_input_gives_empty_string():
    assert normalize("") == ""
    assert normalize(None) == ""


@given(st.text())
def test_normalisation_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_normalised_text_has_no_whitespace(text):
    assert not any(ch.isspace() for ch in normalize(text))
