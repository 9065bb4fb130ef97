from __future__ import annotations

from django.urls import path

from renkei.reports import views

# The survey holds no personal data: a password is enough (no second factor).
app_name = "reports"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/compare/", views.round_compare, name="compare"),
    path("<int:pk>/export.<str:extension>", views.round_export, name="export"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
]
