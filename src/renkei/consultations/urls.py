from __future__ import annotations

app_name = "consultations"
urlpatterns: list = []
