from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from renkei.core.models import Municipality, Organization, Region, User

admin.site.site_header = "Renkei 管理"
admin.site.site_title = "Renkei 管理"


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
