from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renkei.core.formats import InvalidCode, validate_municipality_code, with_check_digit

# The eight municipalities of the 八戸 region, codes as published by 総務省.
HACHINOHE_REGION_CODES = ["022039", "024121", "024414", "024422", "024431", "024457", "024465", "024503"]


@pytest.mark.parametrize("code", HACHINOHE_REGION_CODES)
def test_real_codes_of_the_region_are_valid(code):
    assert validate_municipality_code(code) == code


@pytest.mark.parametrize(
    ("five", "six"),
    [("02203", "022039"), ("02412", "024121"), ("02445", "024457"), ("13101", "131016"), ("01100", "011002")],
)
def test_check_digit_is_added_to_five_digit_codes(five, six):
    assert with_check_digit(five) == six


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("022038", "検査数字"),
        ("02203", "6桁"),
        ("０２２０３９", "6桁"),
        ("99203X", "6桁"),
        ("992039", "都道府県コードではありません"),
        ("020001", "都道府県のコード"),
    ],
)
def test_invalid_codes_are_refused_with_a_japanese_reason(code, message):
    with pytest.raises(InvalidCode, match=message):
        validate_municipality_code(code)


@given(
    prefecture=st.integers(min_value=1, max_value=47),
    rest=st.integers(min_value=1, max_value=999),
    wrong=st.integers(min_value=1, max_value=9),
)
def test_exactly_one_check_digit_is_accepted(prefecture, rest, wrong):
    code = with_check_digit(f"{prefecture:02d}{rest:03d}")
    assert validate_municipality_code(code) == code
    altered = code[:5] + str((int(code[5]) + wrong) % 10)
    with pytest.raises(InvalidCode):
        validate_municipality_code(altered)
