from __future__ import annotations

from django import template

from renkei.core import permissions

register = template.Library()


@register.inclusion_tag("meetings/_nav.html", takes_context=True)
def meetings_nav(context, active: str) -> dict:
    user = context["request"].user
    return {"active": active, "plans": permissions.can_plan_events(user)}
