"""``{% mail_goes_nowhere as flag %}``: mail notifications are on but the person has no address.

The default mode sends a mail for every post, so a person who never set an address would otherwise
believe they are notified while nothing is sent.
"""

from __future__ import annotations

from django import template

from renkei.sharing.models import NotificationPreference

register = template.Library()


@register.simple_tag(takes_context=True)
def mail_goes_nowhere(context) -> bool:
    user = context["request"].user
    if not user.is_authenticated or user.email:
        return False
    mode = (
        NotificationPreference.objects.filter(user=user).values_list("mode", flat=True).first()
        or NotificationPreference._meta.get_field("mode").default
    )
    return mode != NotificationPreference.Mode.OFF
