"""Protocol list, editor, workflow and the protocol page (issue: protocol editor)."""

from django.urls import path

from meetings import views
from meetings.importing import views as import_views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("new/", views.meeting_create, name="meeting-create"),
    path("people/search/", views.person_search, name="person-search"),
    path("people/new/", views.person_create, name="person-create"),
    path("decisions/search/", views.decision_search, name="decision-search"),
    path("next-number/", views.next_number, name="next-number"),
    path("import/", import_views.protocol_import, name="import"),
    path("import/<slug:token>/", import_views.protocol_import_review, name="import-review"),
    path("<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<int:pk>/history/", views.meeting_history, name="meeting-history"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("<int:pk>/agenda.json", views.meeting_agenda, name="meeting-agenda"),
    path("<int:pk>/people/search/", views.person_search, name="meeting-person-search"),
    path("<int:pk>/decisions/search/", views.decision_search, name="meeting-decision-search"),
    path("<int:pk>/signatories/", views.meeting_signatories, name="meeting-signatories"),
    path("<int:pk>/submit/", views.meeting_submit, name="meeting-submit"),
    path("<int:pk>/approve/", views.meeting_approve, name="meeting-approve"),
    path("<int:pk>/return/", views.meeting_return, name="meeting-return"),
]
