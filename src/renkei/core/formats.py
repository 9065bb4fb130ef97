"""Field formats: each official number, phone number and postal code has one rule here.

A format has a *cleaner* (what people and files type → the stored form, raising
:class:`InvalidFormat` with a Japanese reason) and a *validator* for model fields (is this value in
the stored form?). Model fields, forms, importers, the API and the review correction use these, so
that a value one of them refuses is refused by all.

Full-width digits (「０１７８」), as Japanese input methods type them, are accepted by every cleaner:
the text is normalised with NFKC first. Validators accept only the stored form (ASCII digits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from renkei.core.text import NUMBER_DASHES

PREFECTURES: dict[str, str] = {
    "01": "北海道", "02": "青森県", "03": "岩手県", "04": "宮城県", "05": "秋田県", "06": "山形県",
    "07": "福島県", "08": "茨城県", "09": "栃木県", "10": "群馬県", "11": "埼玉県", "12": "千葉県",
    "13": "東京都", "14": "神奈川県", "15": "新潟県", "16": "富山県", "17": "石川県", "18": "福井県",
    "19": "山梨県", "20": "長野県", "21": "岐阜県", "22": "静岡県", "23": "愛知県", "24": "三重県",
    "25": "滋賀県", "26": "京都府", "27": "大阪府", "28": "兵庫県", "29": "奈良県", "30": "和歌山県",
    "31": "鳥取県", "32": "島根県", "33": "岡山県", "34": "広島県", "35": "山口県", "36": "徳島県",
    "37": "香川県", "38": "愛媛県", "39": "高知県", "40": "福岡県", "41": "佐賀県", "42": "長崎県",
    "43": "熊本県", "44": "大分県", "45": "宮崎県", "46": "鹿児島県", "47": "沖縄県",
}  # fmt: skip

# The shape of a 団体コード (six ASCII digits) for schemas and query strings; the check digit and the
# prefecture are checked by :func:`validate_municipality_code`.
MUNICIPALITY_CODE_PATTERN = r"^[0-9]{6}$"
_SIX_DIGITS = re.compile(MUNICIPALITY_CODE_PATTERN)


def has_municipality_code_shape(value: str) -> bool:
    return bool(_SIX_DIGITS.fullmatch(value))


class InvalidFormat(ValueError):
    """A value not in its field's format; the message is Japanese, for people."""


class InvalidCode(InvalidFormat):
    """A code that cannot be a municipality code."""


def check_digit(first_five: str) -> int:
    """The 検査数字 of a 地方公共団体コード: weights 6..2, modulus 11, (11 − r) mod 10."""
    total = sum(int(digit) * weight for digit, weight in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def with_check_digit(first_five: str) -> str:
    """Turn a 5-digit code (as 医療情報ネット writes it: 都道府県2 + 市区町村3) into the 6-digit one."""
    if not re.fullmatch(r"[0-9]{5}", first_five):
        raise InvalidCode(f"「{first_five}」は5桁の市区町村コードではありません。")
    return first_five + str(check_digit(first_five))


def validate_municipality_code(code: str) -> str:
    """Return ``code`` if it is a valid 6-digit municipality code, else raise :class:`InvalidCode`."""
    if not isinstance(code, str) or not _SIX_DIGITS.fullmatch(code):
        raise InvalidCode(f"地方公共団体コード「{code}」は6桁の半角数字で入力してください。")
    if code[:2] not in PREFECTURES:
        raise InvalidCode(
            f"地方公共団体コード「{code}」の先頭2桁（{code[:2]}）は都道府県コードではありません。"
        )
    if code[2:5] == "000":
        raise InvalidCode(
            f"地方公共団体コード「{code}」は都道府県のコードです。市区町村のコードを入力してください。"
        )
    expected = check_digit(code[:5])
    if int(code[5]) != expected:
        raise InvalidCode(
            f"地方公共団体コード「{code}」の検査数字（6桁目）が正しくありません（正しくは {expected}）。"
        )
    return code


def prefecture_of(code: str) -> str:
    return PREFECTURES[code[:2]]


def clean_municipality_code(value: str) -> str:
    """A municipality code as typed (full-width digits, spaces around it) → the stored form."""
    return validate_municipality_code(unicodedata.normalize("NFKC", value or "").strip())


def municipality_code_validator(value: str) -> None:
    try:
        validate_municipality_code(value)
    except InvalidCode as exc:
        raise ValidationError(str(exc), code="invalid_municipality_code") from None


# --- numbers of a fixed count of digits ---------------------------------------------------------


def corporate_check_digit(base: str) -> int:
    """The 検査用数字 of a 法人番号 (平成26年財務省令第70号 第2条): 9 − (Σ Pn×Qn mod 9), where Pn is
    the n-th digit of the 12-digit 基礎番号 counted from its lowest digit and Qn is 1 for odd n, 2
    for even n. It is the number's *first* digit."""
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), start=1))
    return 9 - total % 9


def _corporate_number_checks(number: str) -> bool:
    return int(number[0]) == corporate_check_digit(number[1:])


@dataclass(frozen=True)
class DigitCode:
    """An official number of ``length`` ASCII digits, optionally with a check digit."""

    label: str
    length: int
    code: str
    check: Callable[[str], bool] | None = None
    check_message: str = ""

    @property
    def message(self) -> str:
        """The reason without a label, as a form shows it under the field: 「10桁の数字で入力してください。」"""
        return f"{self.length}桁の数字で入力してください。"

    def tidy(self, value: str | None) -> str:
        """NFKC and trimmed; not checked (a validator or :meth:`clean` says what is wrong)."""
        return unicodedata.normalize("NFKC", value or "").strip()

    def problem(self, value: str) -> str:
        """The bare reason ``value`` (already tidied) is refused, or "" when it is in the format."""
        if len(value) != self.length or not value.isascii() or not value.isdigit():
            return self.message
        if self.check is not None and not self.check(value):
            return self.check_message
        return ""

    def clean(self, value: str | None) -> str:
        """The stored form of ``value`` ("" for blank); raise :class:`InvalidFormat` with the bare reason."""
        text = self.tidy(value)
        if text and (problem := self.problem(text)):
            raise InvalidFormat(problem)
        return text

    def validate(self, value: str | None) -> None:
        if value and (problem := self.problem(value)):
            raise ValidationError(problem, code=self.code)


CARE_OFFICE_NUMBER = DigitCode("介護保険事業所番号", 10, "invalid_care_office_number")
MEDICAL_INSTITUTION_ID = DigitCode("医療機関ID", 13, "invalid_medical_institution_id")
CORPORATE_NUMBER = DigitCode(
    "法人番号",
    13,
    "invalid_corporate_number",
    check=_corporate_number_checks,
    check_message="検査用数字（1桁目）が正しくありません。番号を確かめてください。",
)


# Model field validators: functions, so that migrations can name them.
def validate_care_office_number(value: str | None) -> None:
    CARE_OFFICE_NUMBER.validate(value)


def validate_medical_institution_id(value: str | None) -> None:
    MEDICAL_INSTITUTION_ID.validate(value)


def validate_corporate_number(value: str | None) -> None:
    CORPORATE_NUMBER.validate(value)


# --- phone numbers and postal codes -------------------------------------------------------------


DASHES = NUMBER_DASHES
DASH_TABLE = str.maketrans({c: "-" for c in DASHES})
_SPACES = re.compile(r"[\s\u3000]+")
_PHONE_BRACKETS = re.compile(r"[()（）]")
_DASH_RUNS = re.compile(r"-{2,}")
_PHONE_CHARS = re.compile(r"[0-9-]+")
# Already in the stored form (the usual case in official files): 0178-22-1234, 090-1234-5678.
_PHONE_DONE = re.compile(r"0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4}")


def normalize_phone(value: str) -> str:
    """``0178-22-1234`` from full-width digits, other dashes, spaces or brackets; raise on junk."""
    value = value.strip()
    if not value:
        return ""
    if _PHONE_DONE.fullmatch(value) and 10 <= len(value) - value.count("-") <= 11:
        return value
    text = unicodedata.normalize("NFKC", value).translate(DASH_TABLE)
    text = _PHONE_BRACKETS.sub("-", _SPACES.sub("", text)).strip("-")
    text = _DASH_RUNS.sub("-", text)
    digits = text.replace("-", "")
    if (
        not _PHONE_CHARS.fullmatch(text)
        or not digits.startswith("0")
        or not 10 <= len(digits) <= 11
        # A Japanese number has at most three groups (0178-22-1234); 0-9-0-1-… is not a number.
        or text.count("-") > 2
    ):
        raise InvalidFormat(f"「{value.strip()}」は電話番号として読めません（例: 0178-22-1234）。")
    if "-" not in text:
        text = _hyphenate(digits)
    return text


def _hyphenate(digits: str) -> str:
    if digits.startswith(("0120", "0800")):
        return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
    if len(digits) == 11:  # mobile and IP phones: 090-1234-5678
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"  # the region's area code 0178 / 0179


def validate_phone(value: str | None) -> None:
    """A stored phone number is what :func:`normalize_phone` makes of it."""
    if not value:
        return
    try:
        stored = normalize_phone(value)
    except InvalidFormat as exc:
        raise ValidationError(str(exc), code="invalid_phone") from None
    if stored != value:
        raise ValidationError(f"電話番号は「{stored}」の形で入力してください。", code="invalid_phone")


_POSTAL_CODE = re.compile(r"[0-9]{3}-[0-9]{4}")


def normalize_postal_code(value: str) -> str:
    """``031-0001`` from 7 digits, full-width digits, other dashes or a 〒; raise on junk."""
    if not value.strip():
        return ""
    text = unicodedata.normalize("NFKC", value).translate(DASH_TABLE)
    digits = re.sub(r"[\s〒-]", "", text)
    if not re.fullmatch(r"[0-9]{7}", digits):
        raise InvalidFormat(f"「{value.strip()}」は郵便番号として読めません（例: 031-0001）。")
    return f"{digits[:3]}-{digits[3:]}"


def validate_postal_code(value: str | None) -> None:
    if value and not _POSTAL_CODE.fullmatch(value):
        try:
            stored = normalize_postal_code(value)
        except InvalidFormat as exc:
            raise ValidationError(str(exc), code="invalid_postal_code") from None
        raise ValidationError(f"郵便番号は「{stored}」の形で入力してください。", code="invalid_postal_code")


def tidy_or_keep(clean: Callable[[str], str], value: str | None) -> str:
    """``clean(value)``, or ``value`` itself when it cannot be cleaned (for a validator to refuse):
    what a form or a review does before the model's validators run."""
    try:
        return clean(value or "")
    except InvalidFormat:
        return (value or "").strip()
