"""Clusters: setting one up (portal administrator), its details, bodies and role grants."""

from django.urls import path

from members import views

app_name = "clusters"

urlpatterns = [
    path("", views.cluster_list, name="cluster-list"),
    path("new/", views.cluster_create, name="cluster-create"),
    path("<int:pk>/edit/", views.cluster_edit, name="cluster-edit"),
    path("<int:pk>/roles/", views.cluster_roles, name="cluster-roles"),
    path("<int:pk>/roles/<int:grant>/revoke/", views.cluster_role_revoke, name="role-revoke"),
    path("<int:pk>/bodies/new/", views.body_create, name="body-create"),
    path("<int:pk>/addressees/", views.addressee_list, name="addressee-list"),
    path("<int:pk>/addressees/new/", views.addressee_edit, name="addressee-create"),
    path("<int:pk>/addressees/<int:category>/edit/", views.addressee_edit, name="addressee-edit"),
]
