from __future__ import annotations

from django.urls import path

from renkei.outreach import care_path_views, pages_views, portal_views, requests_views

app_name = "portal"
urlpatterns = [
    path("", portal_views.region_portal, name="region"),
    path("topics/<str:topic>/", pages_views.region_topic, name="region_topic"),
    path("images/<int:pk>/", pages_views.image, name="image"),
    path("<str:code>/", portal_views.municipality_portal, name="municipality"),
    path("<str:code>/topics/<str:topic>/", pages_views.municipality_topic, name="municipality_topic"),
]
urlpatterns += [
    path("<str:code>/lecture-request/", requests_views.request_form, name="lecture_request"),
    path("<str:code>/lecture-request/sent/", requests_views.request_sent, name="lecture_request_sent"),
]
urlpatterns += [path("<str:code>/care-path/", care_path_views.public_care_path, name="care_path")]
