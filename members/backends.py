"""The portal's authentication backend: Django's ModelBackend, whose per-request user lookup also
fetches the user's register entry (``Person``) and its organisation, so pages that ask for the user's person or
organisation (the dashboard, the plan page, «mine» filters) do not pay a query for it.

The lookup runs on every request with a session, so it is a prepared query (``core.prepared``): compiling the
user with its two joined tables cost more CPU than PostgreSQL takes to answer it (issue 13)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from core.prepared import SENTINEL_ID, PreparedQuery

SESSION_USER = PreparedQuery(
    lambda user_id: get_user_model()._default_manager.select_related("person__organization").filter(pk=user_id),
    user_id=SENTINEL_ID,
)


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        users = SESSION_USER.objects(user_id=user_id)
        if not users:
            return None
        return users[0] if self.user_can_authenticate(users[0]) else None
