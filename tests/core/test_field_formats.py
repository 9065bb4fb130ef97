"""Field formats (renkei.core.formats): one rule per format, full-width digits cleaned, check digits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from renkei.core import formats


@pytest.mark.parametrize(
    "number",
    # The 国税庁's worked example, and a published 法人番号 (株式会社FoundingBase).
    ["7123456789012", "4011001098993"],
)
def test_a_corporate_number_with_its_check_digit_is_valid(number):
    assert formats.corporate_check_digit(number[1:]) == int(number[0])
    assert formats.CORPORATE_NUMBER.clean(number) == number
    formats.validate_corporate_number(number)


@pytest.mark.parametrize("number", ["8123456789012", "7123456789013", "4011001098939"])
def test_a_corporate_number_whose_check_digit_does_not_match_is_refused(number):
    with pytest.raises(ValidationError, match="検査用数字（1桁目）が正しくありません"):
        formats.validate_corporate_number(number)
    with pytest.raises(formats.InvalidFormat, match="検査用数字"):
        formats.CORPORATE_NUMBER.clean(number)


@pytest.mark.parametrize(
    ("code", "value", "stored"),
    [
        (formats.CARE_OFFICE_NUMBER, "０２７１０００００１", "0271000001"),
        (formats.CARE_OFFICE_NUMBER, " 0271000001\u3000", "0271000001"),
        (formats.MEDICAL_INSTITUTION_ID, "０２１０１０００００００１", "0210100000001"),
        (formats.CARE_OFFICE_NUMBER, "", ""),
    ],
)
def test_cleaners_take_full_width_digits_and_spaces(code, value, stored):
    assert code.clean(value) == stored


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (formats.validate_care_office_number, "abc", "10桁の数字で入力してください。"),
        (formats.validate_care_office_number, "027100000", "10桁の数字で入力してください。"),
        # The stored form is ASCII: a full-width value must go through the cleaner first.
        (formats.validate_care_office_number, "０２７１０００００１", "10桁の数字で入力してください。"),
        (formats.validate_medical_institution_id, "021010000000", "13桁の数字で入力してください。"),
        (formats.validate_corporate_number, "123", "13桁の数字で入力してください。"),
        (formats.validate_phone, "代表へ", "電話番号として読めません"),
        (formats.validate_phone, "0178221234", "「0178-22-1234」の形で"),
        (formats.validate_postal_code, "0310001", "「031-0001」の形で"),
        (formats.validate_postal_code, "031", "郵便番号として読めません"),
    ],
)
def test_validators_refuse_what_is_not_in_the_stored_form(validator, value, message):
    with pytest.raises(ValidationError) as refused:
        validator(value)
    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    "validator",
    [
        formats.validate_care_office_number,
        formats.validate_medical_institution_id,
        formats.validate_corporate_number,
        formats.validate_phone,
        formats.validate_postal_code,
    ],
)
def test_blank_is_no_value(validator):
    validator("")
    validator(None)


def test_stored_forms_pass_their_validators():
    formats.validate_care_office_number("0271000001")
    formats.validate_medical_institution_id("0210100000001")
    formats.validate_phone("0178-22-1234")
    formats.validate_phone("090-1234-5678")
    formats.validate_postal_code("031-0001")
    formats.municipality_code_validator("022039")
    with pytest.raises(ValidationError, match="検査数字"):
        formats.municipality_code_validator("022038")
    assert formats.clean_municipality_code(" ０２２０３９ ") == "022039"
