"""The region's list of consultation content categories (相談内容区分), kept by its administrators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from renkei.consultations.models import ConsultationCategory
from renkei.consultations.seed import ensure_default_categories
from renkei.consultations.services.rules import ConsultationError
from renkei.core import permissions
from renkei.core.models import Region


def categories_for(region: Region, *, active_only: bool = False) -> QuerySet[ConsultationCategory]:
    ensure_default_categories(ConsultationCategory, region)
    categories = ConsultationCategory.objects.filter(region=region)
    return categories.filter(is_active=True) if active_only else categories


def _clean_category_name(region: Region, name: str, exclude_pk: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ConsultationError("区分名を入力してください。")
    if len(name) > 100:
        raise ConsultationError("区分名は100文字以内で入力してください。")
    duplicates = ConsultationCategory.objects.filter(region=region, name=name)
    if exclude_pk is not None:
        duplicates = duplicates.exclude(pk=exclude_pk)
    if duplicates.exists():
        raise ConsultationError(f"区分「{name}」はすでにあります。")
    return name


def _may_manage(actor, region: Region) -> None:
    if not permissions.can_manage_consultation_categories(actor, region):
        raise PermissionDenied


def add_category(actor, region: Region, name: str) -> ConsultationCategory:
    _may_manage(actor, region)
    name = _clean_category_name(region, name)
    last = categories_for(region).order_by("-order").values_list("order", flat=True).first() or 0
    return ConsultationCategory.objects.create(region=region, name=name, order=last + 10)


def rename_category(actor, category: ConsultationCategory, name: str) -> ConsultationCategory:
    _may_manage(actor, category.region)
    category.name = _clean_category_name(category.region, name, exclude_pk=category.pk)
    category.save(update_fields=["name"])
    return category


def set_category_active(actor, category: ConsultationCategory, active: bool) -> ConsultationCategory:
    """A category no longer used stays on past records and in the counts of the periods it was used."""
    _may_manage(actor, category.region)
    category.is_active = active
    category.save(update_fields=["is_active"])
    return category


def move_category(actor, category: ConsultationCategory, direction: int) -> None:
    """Swap the category with its neighbour above (-1) or below (+1)."""
    _may_manage(actor, category.region)
    siblings = list(categories_for(category.region).order_by("order", "id"))
    index = next(i for i, other in enumerate(siblings) if other.pk == category.pk)
    target = index + direction
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    with transaction.atomic():
        for position, other in enumerate(siblings):
            if other.order != (position + 1) * 10:
                other.order = (position + 1) * 10
                other.save(update_fields=["order"])
