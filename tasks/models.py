"""Records of execution control: reports on assignments, deadline extensions, sent
reminders and the calendar feed tokens. ``tasks/services.py`` and ``notifications.py``
write them; the assignments themselves are ``meetings.Assignment`` (fanned out by
``meetings.services.decision_assign``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.tokens import new_token


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class AssignmentReport(models.Model):
    """An execution report («отчёт об исполнении») and the secretary's review of it."""

    # PROTECT: reports are the record of execution; no deletion (editor, admin, shell) takes them along.
    assignment = models.ForeignKey("meetings.Assignment", verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("report"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        db_table = "meetings_assignmentreport"  # kept from before the move to this app
        verbose_name = _("execution report")
        verbose_name_plural = _("execution reports")
        ordering = ["assignment", "submitted_at"]

    def __str__(self):
        return f"{self.assignment} — {self.submitted_at:%d.%m.%Y}"


class AssignmentReportFile(models.Model):
    report = models.ForeignKey(AssignmentReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        db_table = "meetings_assignmentreportfile"  # kept from before the move to this app
        verbose_name = _("report file")
        verbose_name_plural = _("report files")

    def __str__(self):
        return self.name


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class DeadlineExtension(models.Model):
    """«Перенос срока»: requested with a reason, granted or refused; the history stays."""

    assignment = models.ForeignKey(
        # PROTECT, as for reports: the history of «перенос срока» is never deleted along with an assignment.
        "meetings.Assignment", verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="extensions"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    reason = models.TextField(_("reason"))
    old_deadline = models.DateField(_("old deadline"), null=True, blank=True)
    new_deadline = models.DateField(_("requested deadline"))
    status = models.CharField(_("status"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        db_table = "meetings_deadlineextension"  # kept from before the move to this app
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["assignment", "requested_at"]

    def __str__(self):
        return f"{self.assignment}: {self.old_deadline} → {self.new_deadline}"


class SentNotification(models.Model):
    """One e-mail that was sent, keyed so that the reminder command never sends it twice."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "meetings_sentnotification"  # kept from before the move to this app
        verbose_name = _("sent notification")
        verbose_name_plural = _("sent notifications")

    def __str__(self):
        return self.key


class CalendarToken(models.Model):
    """The secret in a user's personal ICS feed URL; regenerating it kills the old URL."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "members_calendartoken"  # kept from before the move to this app
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self):
        return f"{self.user}"
