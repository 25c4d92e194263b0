"""Records of the documents app. The signed files themselves are meetings.ProtocolDocument."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProtocolCorrection(models.Model):
    """The secretary reopened a signed protocol: which signed version is corrected, why, by whom and when.
    The corrected version stays stored; the next signed version supersedes it."""

    document = models.ForeignKey("meetings.ProtocolDocument", verbose_name=_("corrected version"),
                                 on_delete=models.CASCADE, related_name="correction_requests")
    reason = models.TextField(_("reason for the correction"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)

    class Meta:
        verbose_name = _("protocol correction")
        verbose_name_plural = _("protocol corrections")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.document}: {self.reason[:50]}"
