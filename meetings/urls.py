"""Protocol list, editor, workflow and the protocol page (issue: protocol editor)."""

from django.urls import path  # noqa: F401

app_name = "meetings"

urlpatterns = []
