"""Assignments and execution control: tasks/..., calendar/<token>.ics."""

from django.urls import path  # noqa: F401

app_name = "tasks"

urlpatterns = []
