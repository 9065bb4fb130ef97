"""The refusal of every continuity service and the model checks turned into it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Model

from renkei.core.services import RuleError

INVALID_INPUT = "入力内容に誤りがあります。"


class ContinuityError(RuleError):
    """Input the rules of nights, holidays and emergencies refuse (message in Japanese)."""


def full_clean(instance: Model, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ContinuityError(
            INVALID_INPUT,
            errors=[
                {"field": name, "message": " ".join(messages)} for name, messages in exc.message_dict.items()
            ],
        ) from None
