"""The survey's items (旧ア〜旧キ, the 地域支援事業 items of the 在宅医療・介護連携推進事業 before the
2020 revision) and the tags of the 手引き Ver.3 an entry may carry."""

from __future__ import annotations

from django.db import models


class Item(models.TextChoices):
    A = "a", "（旧ア）地域の医療・介護の資源の把握"
    I = "i", "（旧イ）在宅医療・介護連携の課題の抽出と対応策の検討"  # noqa: E741 - the item's own letter
    U = "u", "（旧ウ）切れ目のない在宅医療と在宅介護の提供体制の構築推進"
    E = "e", "（旧エ）医療・介護関係者の情報共有の支援"
    O = "o", "（旧オ）在宅医療・介護連携に関する相談支援"  # noqa: E741 - the item's own letter
    KA = "ka", "（旧カ）医療・介護関係者の研修"
    KI = "ki", "（旧キ）地域住民への普及啓発"


# The short names the survey's sheets carry: 旧ア … 旧キ.
SHORT_NAMES: dict[str, str] = {
    Item.A: "旧ア",
    Item.I: "旧イ",
    Item.U: "旧ウ",
    Item.E: "旧エ",
    Item.O: "旧オ",
    Item.KA: "旧カ",
    Item.KI: "旧キ",
}
ITEM_BY_SHORT_NAME = {short: Item(code) for code, short in SHORT_NAMES.items()}


def item_title(item: str) -> str:
    """「地域の医療・介護の資源の把握」: the title without its （旧ア） prefix."""
    return str(Item(item).label).split("）", 1)[1]


class Stage(models.TextChoices):
    """The PDCA structure of the 手引き Ver.3 (在宅医療・介護連携推進事業の手引き, 令和2年)."""

    PLAN = "plan", "現状分析・課題抽出・施策立案"
    DO = "do", "対応策の実施"
    CHECK = "check", "評価"


class Scene(models.TextChoices):
    """The four scenes of the 手引き Ver.3."""

    DAILY = "daily", "日常の療養支援"
    DISCHARGE = "discharge", "入退院支援"
    EMERGENCY = "emergency", "急変時の対応"
    END_OF_LIFE = "end_of_life", "看取り"


# The three columns of the survey, in the seed's order.
COLUMNS = (
    ("activities", "具体的内容"),
    ("issues", "課題"),
    ("requests", "医師会・医療機関に協力を依頼している内容"),
)
