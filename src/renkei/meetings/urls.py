from __future__ import annotations

from django.urls import path

from renkei.meetings.views import evaluation, events, issues, lecturers, summary, surveys

# No patient data here (events, counts, 課題 in general terms): a password is enough, as for the
# consultation statistics. Per-person evaluation answers are read by the organiser only.
app_name = "meetings"
urlpatterns = [
    path("", events.event_list, name="list"),
    path("new/", events.event_create, name="create"),
    path("<int:pk>/", events.event_detail, name="detail"),
    path("<int:pk>/edit/", events.event_edit, name="edit"),
    path("<int:pk>/invite/", events.invite, name="invite"),
    path("<int:pk>/register/", events.register, name="register"),
    path("<int:pk>/attendees/", events.attendees, name="attendees"),
    path("<int:pk>/counts/", events.counts, name="counts"),
    path("<int:pk>/materials/", events.material_add, name="material_add"),
    path("<int:pk>/materials/<int:material_pk>/", events.material_download, name="material"),
    path("<int:pk>/materials/<int:material_pk>/delete/", events.material_remove, name="material_remove"),
    path("<int:pk>/minutes/", events.minutes, name="minutes"),
    path("<int:pk>/event.ics", events.event_ics, name="ics"),
    path("feeds/<str:token>.ics", events.organization_feed, name="feed"),
    path("<int:pk>/evaluation/", evaluation.evaluate, name="evaluate"),
    path("<int:pk>/evaluation/results/", evaluation.results, name="results"),
    path("evaluations/", evaluation.year_results, name="year_results"),
    path("lecturers/", lecturers.roster, name="lecturers"),
    path("issues/", issues.board, name="board"),
    path("issues/new/", issues.issue_create, name="issue_create"),
    path("issues/<int:pk>/", issues.issue_detail, name="issue"),
    path("issues/<int:pk>/countermeasures/", issues.countermeasure_add, name="countermeasure_add"),
    path(
        "issues/<int:pk>/countermeasures/<int:measure_pk>/",
        issues.countermeasure_update,
        name="countermeasure_update",
    ),
    path("issues/<int:pk>/close/", issues.issue_close, name="issue_close"),
    path("summary/", summary.yearly, name="summary"),
    path("summary.xlsx", summary.yearly_xlsx, name="summary_xlsx"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/new/", surveys.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey"),
    path("surveys/<int:pk>/questions/", surveys.question_add, name="question_add"),
    path(
        "surveys/<int:pk>/questions/<int:question_pk>/delete/",
        surveys.question_remove,
        name="question_remove",
    ),
    path("surveys/<int:pk>/open/", surveys.survey_open, name="survey_open"),
    path("surveys/<int:pk>/close/", surveys.survey_close, name="survey_close"),
    path("surveys/<int:pk>/copy/", surveys.survey_copy, name="survey_copy"),
    path("surveys/<int:pk>/answer/", surveys.survey_answer, name="survey_answer"),
    path("surveys/<int:pk>/results/", surveys.survey_results_page, name="survey_results"),
    path("surveys/<int:pk>/results.xlsx", surveys.survey_results_xlsx, name="survey_results_xlsx"),
]
