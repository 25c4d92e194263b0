"""What every login carries whatever app it works in: the language it chose.

The UI's language switch (``cluster_portal.views.set_language``) stores the choice here, so that
e-mail, rendered where there is no request (the worker, the hourly reminders), is written in the
recipient's language. A login that never chose one reads Russian (``settings.LANGUAGE_CODE``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("login"), on_delete=models.CASCADE,
                                related_name="profile")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)

    class Meta:
        verbose_name = _("login settings")
        verbose_name_plural = _("login settings")

    def __str__(self):
        return f"{self.user}: {self.language}"


def supported_language(code: str | None) -> str:
    """``code`` when the portal speaks it, else the default (Russian)."""
    return code if code in {c for c, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def user_language(user) -> str:
    """The language ``user`` chose with the switch; Russian for one that never did (or anonymous).
    A query unless ``profile`` was selected with the user."""
    if user is None or not getattr(user, "pk", None):
        return settings.LANGUAGE_CODE
    try:
        return supported_language(user.profile.language)
    except UserProfile.DoesNotExist:
        return settings.LANGUAGE_CODE


def user_language_set(*, user, language: str) -> None:
    """Remember ``language`` for ``user`` (an unsupported code is ignored)."""
    if language not in {c for c, _name in settings.LANGUAGES} or not getattr(user, "pk", None):
        return
    profile, _created = UserProfile.objects.update_or_create(user=user, defaults={"language": language})
    user._state.fields_cache["profile"] = profile  # the next read sees the new choice
