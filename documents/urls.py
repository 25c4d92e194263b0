"""Signed protocol PDFs and public verification: meetings/<id>/pdf/, signing, verify/."""

from django.urls import path  # noqa: F401

app_name = "documents"

urlpatterns = []
