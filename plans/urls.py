"""Work plans."""

from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
]
