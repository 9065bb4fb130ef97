"""Django's password backend, loading the signed-in user with what nearly every page asks next.

Every rule in :mod:`renkei.core.permissions` starts from the user's organisation, its municipality and
region (:func:`~renkei.core.permissions.roles.home_region`). Django's ``ModelBackend`` loads the user
alone, so each request then paid three more queries for them; :class:`ModelBackend` reads the four
rows in one.

Sessions record the backend that signed them in: those made by Django's backend before this one was
configured are no longer recognised, and those people sign in again once.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from renkei.core.models import User


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: int) -> User | None:
        user = (
            User._default_manager.select_related("organization__municipality__region")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
