from __future__ import annotations

from django.contrib import admin

from renkei.sharing.models import SharingPolicy


@admin.register(SharingPolicy)
class SharingPolicyAdmin(admin.ModelAdmin):
    list_display = ["region", "emergency_accesses_per_day"]
