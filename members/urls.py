"""The member register."""

from django.urls import path  # noqa: F401

app_name = "members"

urlpatterns = []
