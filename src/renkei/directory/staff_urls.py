from __future__ import annotations

app_name = "directory_staff"
urlpatterns: list = []
