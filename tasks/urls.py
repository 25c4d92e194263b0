"""Assignments and execution control: tasks/..., calendar/<token>.ics, meetings/<id>/calendar.ics.

Included at the site root, so the paths here are full paths.
"""

from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.task_list, name="task-list"),
    path("tasks/report/", views.discipline_report, name="discipline-report"),
    path("tasks/calendar/", views.calendar_settings, name="calendar-settings"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/files/<int:file_pk>/", views.report_file, name="report-file"),
    path("tasks/<int:pk>/start/", views.assignment_start, name="assignment-start"),
    path("tasks/<int:pk>/report/", views.report_submit, name="report-submit"),
    path("tasks/<int:pk>/accept/", views.report_accept, name="report-accept"),
    path("tasks/<int:pk>/return/", views.report_return, name="report-return"),
    path("tasks/<int:pk>/extension/", views.extension_request, name="extension-request"),
    path(
        "tasks/<int:pk>/extension/<int:extension_pk>/<str:decision>/",
        views.extension_decide,
        name="extension-decide",
    ),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("meetings/<int:pk>/calendar.ics", views.meeting_ics, name="meeting-ics"),
]
