"""The portal's authentication backend: Django's ModelBackend, whose per-request user lookup also
fetches the user's register entry (``Person``) and its organisation, so pages that ask for the user's person or
organisation (the dashboard, the plan page, «mine» filters) do not pay a query for it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        UserModel = get_user_model()
        try:
            user = UserModel._default_manager.select_related("person__organization").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
