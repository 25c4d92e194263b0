"""Admin fallback for secretaries: changelists show only the clusters the user manages."""

from members.access import managed_cluster_ids


class ClusterScopedAdmin:
    """Limit the admin queryset to the user's managed clusters (superusers see all).

    ``cluster_lookup`` is the ORM path from the model to its cluster id.
    """

    cluster_lookup = "cluster_id"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.cluster_lookup}__in": managed_cluster_ids(request.user)}).distinct()
