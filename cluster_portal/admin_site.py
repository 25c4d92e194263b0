"""The Django admin belongs to the portal administrators (superusers) alone.

Secretaries and chairs work in the portal's own pages, which hold the per-cluster
boundaries and the signed-protocol lock; the admin holds neither, so nobody else
gets in — not even a user who was made staff by hand.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class PortalAdminSite(AdminSite):
    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_superuser


class PortalAdminConfig(AdminConfig):
    """Installed instead of ``django.contrib.admin``: makes ``PortalAdminSite`` the default site."""

    default_site = "cluster_portal.admin_site.PortalAdminSite"
