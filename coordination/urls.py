from django.urls import path

from coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("assignments/", views.assignment_list, name="assignment-list"),
    path("protocols/<int:pk>/", views.protocol, name="protocol"),
]
