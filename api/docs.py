"""Swagger UI from the portal's own static files (drf-spectacular-sidecar), under the portal's CSP:
the page's script is a separate request (``?script``), the page has no inline script or style."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "API Кластерного портала"
