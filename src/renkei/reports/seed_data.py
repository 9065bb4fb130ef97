"""The survey table shipped in ``data/`` (see ``data/README.md`` for where it comes from)."""

from __future__ import annotations

from datetime import date
from importlib import resources

HACHINOHE_R3_12 = "hachinohe-r3-12.txt"
HACHINOHE_R3_12_AS_OF = date(2021, 12, 31)
HACHINOHE_R3_12_SOURCE = (
    "資料６－２「在宅医療・介護連携推進事業に係る市町村の取組について」"
    "（八戸地域保健医療圏域、Ｒ3.12.末日時点、PDFのテキスト層から取込）"
)


def shipped_text(name: str = HACHINOHE_R3_12) -> str:
    return resources.files("renkei.reports").joinpath("data", name).read_text(encoding="utf-8")
