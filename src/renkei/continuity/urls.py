from __future__ import annotations

from django.urls import path

from renkei.continuity import emergency_views, views
from renkei.core.two_factor import second_factor_urls

app_name = "continuity"
urlpatterns = [
    # A patient's contact path, ACP records and kit: personal data, behind the second factor.
    *second_factor_urls(
        [
            path("patients/<int:pk>/path/", views.contact_path, name="path"),
            path("patients/<int:pk>/path/print/", views.path_print, name="path_print"),
            path("patients/<int:pk>/path/<int:step_id>/<str:change>/", views.step_change, name="step_change"),
            path("patients/<int:pk>/acp/", views.acp, name="acp"),
            path("patients/<int:pk>/kit.pdf", views.kit_pdf, name="kit_pdf"),
            path("patients/<int:pk>/kit/blood-type/", views.blood_type, name="blood_type"),
        ]
    ),
    # Rotas name staff on duty, no patient: a password is enough.
    path("rotas/", views.rotas, name="rotas"),
    # Counts of public facility data per municipality: no patient, a password is enough.
    path("cover/", views.cover, name="cover"),
    path("cover.xlsx", views.cover_xlsx, name="cover_xlsx"),
    path("cover/areas/", views.living_areas, name="living_areas"),
    path("cover/areas/<int:pk>/", views.living_area, name="living_area"),
    path("cover/areas/<int:pk>/delete/", views.living_area_delete, name="living_area_delete"),
    path("rotas/<int:pk>/", views.rota, name="rota"),
    path("rotas/<int:pk>/<str:what>/<int:item_id>/remove/", views.rota_remove, name="rota_remove"),
    path("duty/<int:organization_id>/", views.organization_duty, name="organization_duty"),
    # 消防・警察への提供: residents' kits, the reads of them and the accounts that read them.
    *second_factor_urls(
        [
            path(
                "patients/<int:pk>/emergency-services/",
                emergency_views.patient_page,
                name="emergency_services",
            ),
            path("emergency-services/agencies/", emergency_views.agencies, name="agencies"),
            path(
                "emergency-services/grants/<int:grant_id>/end/", emergency_views.grant_end, name="grant_end"
            ),
            path(
                "emergency-services/accounts/<int:account_id>/deactivate/",
                emergency_views.account_deactivate,
                name="account_deactivate",
            ),
            path("emergency-services/", emergency_views.agency_search, name="agency_search"),
            path("emergency-services/residents/<int:pk>/", emergency_views.agency_kit, name="agency_kit"),
        ]
    ),
]
