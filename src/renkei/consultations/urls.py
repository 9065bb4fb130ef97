from __future__ import annotations

from django.urls import path

from renkei.consultations import views
from renkei.core.two_factor import second_factor_urls

app_name = "consultations"
urlpatterns = [
    # Records, their summaries and linked patients: personal data, behind the second factor.
    *second_factor_urls(
        [
            path("", views.consultation_list, name="list"),
            path("new/", views.consultation_create, name="create"),
            path("records.csv", views.records_csv, name="records_csv"),
            path("<int:pk>/", views.consultation_detail, name="detail"),
            path("<int:pk>/edit/", views.consultation_edit, name="edit"),
            path("<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
            path("import/", views.import_records, name="import"),
        ]
    ),
    # Counts, templates, the region's categories and the directory search: a password is enough.
    path("statistics/", views.statistics, name="statistics"),
    path("statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("statistics.csv", views.statistics_csv, name="statistics_csv"),
    path("import/template.csv", views.import_template, {"extension": "csv"}, name="import_template_csv"),
    path("import/template.xlsx", views.import_template, {"extension": "xlsx"}, name="import_template_xlsx"),
    path("categories/", views.categories, name="categories"),
    path("facilities.json", views.facility_search, name="facility_search"),
]
