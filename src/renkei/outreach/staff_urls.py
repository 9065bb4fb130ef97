from __future__ import annotations

from django.urls import path

from renkei.core.two_factor import second_factor_urls
from renkei.outreach import care_path_views, pages_views, requests_views, views

app_name = "outreach_staff"
urlpatterns = [
    path("guide/", views.guide_page, name="guide"),
    path("pages/", pages_views.staff_list, name="pages"),
    path("pages/<str:scope>/<str:topic>/", pages_views.staff_edit, name="page_edit"),
    path("pages/<str:scope>/<str:topic>/images/", pages_views.staff_add_image, name="page_image_add"),
    path("page-images/<int:pk>/delete/", pages_views.staff_remove_image, name="page_image_remove"),
]
# The requesters' names, phones and e-mail addresses: personal data, behind the second factor.
urlpatterns += second_factor_urls(
    [
        path("lecture-requests/", requests_views.staff_requests, name="requests"),
        path("lecture-requests/<int:pk>/", requests_views.staff_request, name="request"),
    ]
)
urlpatterns += [
    path("topics/", requests_views.staff_topics, name="topics"),
    path("topics/<int:pk>/toggle/", requests_views.staff_topic_toggle, name="topic_toggle"),
]
urlpatterns += [
    path("care-path/", care_path_views.staff_grid, name="care_path"),
    path("care-path/<str:code>/settings/", care_path_views.staff_settings, name="care_path_settings"),
    path("care-path/<str:code>/publish/", care_path_views.staff_publish, name="care_path_publish"),
    path("care-path/<str:code>/pdf/", care_path_views.staff_pdf, name="care_path_pdf"),
    path("care-path/<str:code>/<str:stage>/<str:kind>/", care_path_views.staff_cell, name="care_path_cell"),
]
