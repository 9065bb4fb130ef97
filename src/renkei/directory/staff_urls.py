from __future__ import annotations

from django.urls import path

from renkei.directory import import_views

app_name = "directory_staff"
urlpatterns = [
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<str:token>/rejected.csv", import_views.import_rejected, name="import_rejected"),
    path("import/template.<str:kind>", import_views.import_template, name="import_template"),
]
