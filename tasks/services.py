"""Writes on assignments: execution reports, their review, deadline extensions.

Views check access first (``tasks.selectors.get_assignment_for_user``) and call these;
each is one transaction and raises ``DomainError`` with a message for the user.
"""

from __future__ import annotations

import datetime
import os

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import OPEN_ASSIGNMENT_STATUSES, Assignment, AssignmentStatus
from tasks.models import AssignmentReport, AssignmentReportFile, DeadlineExtension, ExtensionStatus, ReportStatus
from core.errors import DomainError

ALLOWED_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".jpg", ".jpeg", ".png", ".zip"}
# An app limit below the global ceiling: reports are documents and scans, not archives of video.
REPORT_FILE_MAX_BYTES = min(settings.UPLOAD_MAX_BYTES, 10 * 1024 * 1024)
REPORT_MAX_FILES = 10
REPORTABLE = [*OPEN_ASSIGNMENT_STATUSES]
CLOSED = [AssignmentStatus.ACCEPTED, AssignmentStatus.CANCELLED]
STARTABLE = [AssignmentStatus.ASSIGNED, AssignmentStatus.RETURNED]


def _locked(assignment: Assignment) -> Assignment:
    """Re-read the row under a lock so that two reviewers cannot act on a stale status."""
    return Assignment.objects.select_for_update().get(pk=assignment.pk)


@transaction.atomic
def assignment_start(*, assignment: Assignment, user) -> Assignment:
    """The responsible party takes the assignment into work («В работе»): from assigned or returned."""
    assignment = _locked(assignment)
    if assignment.status not in STARTABLE:
        raise DomainError(_("The assignment cannot be taken into work now: it is %(status)s.")
                          % {"status": assignment.get_status_display().lower()})
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.full_clean(validate_unique=False)
    assignment.save()
    return assignment


def validate_report_file(upload: UploadedFile) -> None:
    extension = os.path.splitext(upload.name or "")[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise DomainError(
            _("File «%(name)s»: this type is not accepted. Allowed: PDF, DOC, DOCX, XLS, XLSX, ODT, ODS, JPG, PNG, ZIP.")
            % {"name": upload.name}
        )
    if upload.size > REPORT_FILE_MAX_BYTES:
        raise DomainError(
            _("File «%(name)s» is too large: %(size)s MB, at most %(limit)s MB.")
            % {"name": upload.name, "size": f"{upload.size / 1048576:.1f}", "limit": REPORT_FILE_MAX_BYTES // 1048576}
        )
    if upload.size == 0:
        raise DomainError(_("File «%(name)s» is empty.") % {"name": upload.name})


@transaction.atomic
def assignment_report_submit(*, assignment: Assignment, author, text: str, files: list[UploadedFile] = ()) -> AssignmentReport:
    """The responsible party reports on execution; the assignment waits for review."""
    assignment = _locked(assignment)
    if assignment.status not in REPORTABLE:
        raise DomainError(_("A report cannot be submitted now: the assignment is %(status)s.")
                          % {"status": assignment.get_status_display().lower()})
    if not (text or "").strip():
        raise DomainError(_("Describe what was done."))
    if len(files) > REPORT_MAX_FILES:
        raise DomainError(_("At most %(count)s files per report.") % {"count": REPORT_MAX_FILES})
    for upload in files:
        validate_report_file(upload)
    report = AssignmentReport(assignment=assignment, author=author, text=text.strip(), submitted_at=timezone.now())
    report.full_clean()
    report.save()
    for upload in files:
        attachment = AssignmentReportFile(report=report, name=os.path.basename(upload.name)[:255], size=upload.size)
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    assignment.status = AssignmentStatus.REPORTED
    assignment.full_clean(validate_unique=False)
    assignment.save()
    return report


def _pending_report(assignment: Assignment) -> AssignmentReport:
    if assignment.status != AssignmentStatus.REPORTED:
        raise DomainError(_("There is no report waiting for review."))
    report = assignment.reports.filter(status=ReportStatus.SUBMITTED).order_by("-submitted_at", "-id").first()
    if report is None:
        raise DomainError(_("There is no report waiting for review."))
    return report


@transaction.atomic
def assignment_report_accept(*, assignment: Assignment, reviewer, comment: str = "") -> AssignmentReport:
    """Accept the pending report: the assignment is done, completed when the report was submitted."""
    assignment = _locked(assignment)
    report = _pending_report(assignment)
    now = timezone.now()
    report.status, report.reviewed_by, report.reviewed_at, report.review_comment = ReportStatus.ACCEPTED, reviewer, now, comment.strip()
    report.full_clean()
    report.save()
    assignment.status = AssignmentStatus.ACCEPTED
    assignment.completed_at = report.submitted_at
    assignment.full_clean(validate_unique=False)
    assignment.save()
    return report


@transaction.atomic
def assignment_report_return(*, assignment: Assignment, reviewer, comment: str) -> AssignmentReport:
    """Send the report back for rework; the comment says what is missing."""
    if not (comment or "").strip():
        raise DomainError(_("Say why the report is returned."))
    assignment = _locked(assignment)
    report = _pending_report(assignment)
    report.status, report.reviewed_by, report.reviewed_at, report.review_comment = (
        ReportStatus.RETURNED, reviewer, timezone.now(), comment.strip())
    report.full_clean()
    report.save()
    assignment.status = AssignmentStatus.RETURNED
    assignment.full_clean(validate_unique=False)
    assignment.save()
    return report


@transaction.atomic
def assignment_extension_request(
    *, assignment: Assignment, requested_by, new_deadline: datetime.date, reason: str
) -> DeadlineExtension:
    """Ask to move the deadline («перенос срока»); one open request at a time."""
    assignment = _locked(assignment)
    if assignment.status in CLOSED:
        raise DomainError(_("The deadline of a closed assignment cannot be moved."))
    if not (reason or "").strip():
        raise DomainError(_("Give a reason for the extension."))
    if assignment.extensions.filter(status=ExtensionStatus.REQUESTED).exists():
        raise DomainError(_("An extension request is already waiting for a decision."))
    if assignment.deadline and new_deadline <= assignment.deadline:
        raise DomainError(_("The new deadline must be later than the current one."))
    if new_deadline < timezone.localdate():
        raise DomainError(_("The new deadline cannot be in the past."))
    extension = DeadlineExtension(
        assignment=assignment, requested_by=requested_by, reason=reason.strip(),
        old_deadline=assignment.deadline, new_deadline=new_deadline, requested_at=timezone.now(),
    )
    extension.full_clean()
    extension.save()
    return extension


@transaction.atomic
def assignment_extension_decide(
    *, extension: DeadlineExtension, decided_by, grant: bool, comment: str = ""
) -> DeadlineExtension:
    """Grant (the deadline moves; the old one stays in the request) or refuse (a comment is required)."""
    assignment = _locked(extension.assignment)
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension.pk)
    if extension.status != ExtensionStatus.REQUESTED:
        raise DomainError(_("This request has already been decided."))
    if not grant and not (comment or "").strip():
        raise DomainError(_("Say why the extension is refused."))
    if grant and extension.requested_by_id == decided_by.pk:
        # Whoever asked for more time cannot give it to themselves: another secretary or the chair decides.
        raise DomainError(_("You requested this extension yourself: it must be granted by someone else "
                            "(the chair or another secretary of the cluster)."))
    extension.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_comment = decided_by, timezone.now(), comment.strip()
    extension.full_clean()
    extension.save()
    if grant:
        if assignment.status in CLOSED:
            raise DomainError(_("The deadline of a closed assignment cannot be moved."))
        assignment.deadline, assignment.deadline_time, assignment.deadline_start = extension.new_deadline, None, None
        assignment.full_clean(validate_unique=False)
        assignment.save()
    return extension
