from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from renkei.api import api, register_routers
from renkei.core import account_pages, account_views
from renkei.core import views as core_views
from renkei.transitions.sheets.urls import old_addresses as old_sheet_addresses

register_routers()

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", account_pages.LogoutView.as_view(), name="logout"),
    path("accounts/", include("renkei.core.account_urls")),
    path("staff/directory/", include("renkei.directory.staff_urls")),
    path("staff/directory/", include("renkei.freshness.staff_urls")),
    path("staff/", include("renkei.core.staff_urls")),
    path("facilities/", include("renkei.directory.urls")),
    path("facilities/", include("renkei.freshness.urls")),
    path("patients/", include("renkei.sharing.urls")),
    path("patients/", include(old_sheet_addresses)),
    path("consultations/", include("renkei.consultations.urls")),
    path("continuity/", include("renkei.continuity.urls")),
    path("meetings/", include("renkei.meetings.urls")),
    path("reports/", include("renkei.reports.urls")),
    path("transitions/", include("renkei.transitions.urls")),
    path("api/v1/", api.urls),
    path("", include("renkei.outreach.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "renkei.core.error_views.bad_request"
handler403 = "renkei.core.error_views.permission_denied"
handler404 = "renkei.core.error_views.page_not_found"
handler500 = "renkei.core.error_views.server_error"
