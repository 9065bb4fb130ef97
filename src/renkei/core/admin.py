from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from renkei.core import two_factor
from renkei.core.models import Municipality, Organization, Region, User


class RenkeiAdminSite(admin.AdminSite):
    """Django's admin behind the same login as the rest of Renkei, second factor included.

    A superuser can change every account's role, so a password alone must not open it.
    """

    site_header = "Renkei 管理"
    site_title = "Renkei 管理"

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and two_factor.is_verified(request)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        next_url = two_factor.safe_next(request, default=reverse("admin:index"))
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
        if not request.user.is_active or not request.user.is_staff:
            raise PermissionDenied
        if two_factor.has_confirmed_device(request.user):
            return redirect(two_factor.verify_url(next_url))
        return redirect(two_factor.setup_url(next_url))


admin.site.__class__ = RenkeiAdminSite


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "prefecture", "slug"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kana", "prefecture", "region"]
    list_filter = ["region", "prefecture"]
    search_fields = ["code", "name", "kana"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "municipality"]
    search_fields = ["name", "kana"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "organization", "role", "profession", "is_active"]
    list_filter = ["role", "profession", "is_active", "organization__municipality"]
    search_fields = ["username", "full_name", "full_name_kana", "email"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("本人情報", {"fields": ("full_name", "full_name_kana", "email")}),
        ("所属と役割", {"fields": ("organization", "role", "profession")}),
        ("権限", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("記録", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (
            "所属と役割",
            {"fields": ("full_name", "full_name_kana", "email", "organization", "role", "profession")},
        ),
    )
