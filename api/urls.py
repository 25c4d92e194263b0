"""/api/v1/…: the REST API, its OpenAPI document and browsable docs; /members/me/api-tokens/: the user's tokens.

Included at the site root (one line in cluster_portal/urls.py), so the paths here are full paths.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from api import pages, views
from api.docs import ApiDocsView
from api.exceptions import not_found

app_name = "api"

router = SimpleRouter()
router.register("clusters", views.ClusterViewSet, basename="cluster")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("plans", views.WorkPlanViewSet, basename="plan")

urlpatterns = [
    path("api/v1/openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("api/v1/docs/", ApiDocsView.as_view(url_name="api:openapi"), name="docs"),
    path("api/v1/", include(router.urls)),
    re_path(r"^api/", not_found),
    path("members/me/api-tokens/", pages.token_list, name="token-list"),
    path("members/me/api-tokens/<int:pk>/revoke/", pages.token_revoke, name="token-revoke"),
]
