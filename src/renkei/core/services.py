"""Rules of the region core, called by pages, the API and the ``renkei`` commands alike."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from renkei.core.codes import InvalidCode, prefecture_of, validate_municipality_code
from renkei.core.models import Municipality, Region
from renkei.core.seed import HACHINOHE_MUNICIPALITIES

# Municipalities whose names Renkei knows without being told: code → (county, name, kana).
KNOWN_MUNICIPALITIES: dict[str, tuple[str, str, str]] = {
    code: (county, name, kana) for code, county, name, kana in HACHINOHE_MUNICIPALITIES
}


class MunicipalityError(ValueError):
    """A municipality that cannot be added; the message is Japanese, for people."""


def default_region() -> Region | None:
    """The region this installation shows on its public pages."""
    return (
        Region.objects.filter(slug=settings.RENKEI_DEFAULT_REGION).first()
        or Region.objects.order_by("pk").first()
    )


def add_municipality(
    code: str,
    *,
    name: str = "",
    prefecture: str = "",
    kana: str = "",
    county: str = "",
    region: Region | None = None,
) -> Municipality:
    """Register a municipality by its 6-digit code, refusing wrong check digits and duplicates."""
    code = (code or "").strip()
    try:
        validate_municipality_code(code)
    except InvalidCode as exc:
        raise MunicipalityError(str(exc)) from None
    expected_prefecture = prefecture_of(code)
    if prefecture and prefecture.strip() != expected_prefecture:
        raise MunicipalityError(
            f"コード「{code}」は{expected_prefecture}のコードです（指定された都道府県: {prefecture.strip()}）。"
        )
    known = KNOWN_MUNICIPALITIES.get(code)
    name = name.strip()
    if not name:
        if known is None:
            raise MunicipalityError(
                f"コード「{code}」の市町村名がわかりません。市町村名（--name）を指定してください。"
            )
        county, name, kana = county or known[0], known[1], kana or known[2]
    with transaction.atomic():
        if Municipality.objects.select_for_update().filter(code=code).exists():
            raise MunicipalityError(f"コード「{code}」の市町村はすでに登録されています。")
        return Municipality.objects.create(
            code=code,
            name=name,
            kana=kana.strip(),
            county=county.strip(),
            prefecture=expected_prefecture,
            region=region,
        )
