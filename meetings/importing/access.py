"""The scoped lookup of an import: call it first in every import view (outsiders get 404)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from meetings.importing.models import ProtocolImport
from members.access import access_for


def get_import_for_user(user, token) -> ProtocolImport:
    """The import if the user keeps its body's cluster (secretary); 404 for those who may not see drafts there."""
    record = (ProtocolImport.objects.select_related("body__cluster", "meeting").filter(token=token).first()
              if isinstance(token, str) and len(token) <= 64 else None)
    if record is None:
        raise Http404
    access = access_for(user, record.body.cluster_id)
    if not access.can_manage:
        raise Http404
    if not access.is_secretary:
        raise PermissionDenied
    return record
