"""Official Japanese codes: the 6-digit 全国地方公共団体コード and its check digit."""

from __future__ import annotations

import re

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

_SIX_DIGITS = re.compile(r"[0-9]{6}")


class InvalidCode(ValueError):
    """A code that cannot be a municipality code; the message is Japanese, for people."""


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
