"""The content categories a region starts with (issue 6); each region edits its own list afterwards."""

from __future__ import annotations

DEFAULT_CATEGORIES = [
    "在宅医療・訪問診療先の相談",
    "入退院・退院後の生活",
    "介護保険・サービス利用",
    "認知症",
    "看取り・ACP",
    "医療機関との連携",
    "権利擁護・成年後見",
    "虐待",
    "経済的問題",
    "住まい",
    "その他",
]


def ensure_default_categories(category_model, region) -> None:
    """Give ``region`` the default list unless it already has categories of its own."""
    if category_model.objects.filter(region=region).exists():
        return
    category_model.objects.bulk_create(
        [
            category_model(region=region, name=name, order=(index + 1) * 10)
            for index, name in enumerate(DEFAULT_CATEGORIES)
        ]
    )
