"""The staging record of an import: a file read and parsed, waiting for the secretary's review.

No protocol exists until she confirms it (``protocol_import_confirm``); then ``meeting`` is the
draft. Imported here from ``meetings.models`` so that the app's migrations hold it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtocolImport(models.Model):
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    body = models.ForeignKey("members.Body", verbose_name=_("body"), on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    source_text = models.TextField(_("source text"))
    # The parsed protocol matched against the register (meetings.importing.services.protocol_import_read).
    result = models.JSONField(_("parsed protocol"), default=dict)
    # Empty until parsed: a large upload (more than services.PARSE_IN_REQUEST files) is parsed after its request,
    # one background job per file (meetings.importing.jobs.parse_protocol_import), or when its review is opened.
    parsed_at = models.DateTimeField(_("parsed at"), null=True, blank=True)
    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("draft protocol"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="imports")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        app_label = "meetings"
        verbose_name = _("protocol import")
        verbose_name_plural = _("protocol imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name or str(_("pasted text"))

    @property
    def is_parsed(self) -> bool:
        return self.parsed_at is not None

    @property
    def flag_count(self) -> int:
        result = self.result or {}
        return len(result.get("flags", [])) + sum(len(d["flags"]) for item in result.get("items", [])
                                                  for d in item["decisions"])

    @property
    def is_confirmed(self) -> bool:
        return self.meeting_id is not None
