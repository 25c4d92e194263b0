"""Signed protocol PDFs (the stored bytes and their signatures) and corrections of them;
``documents/services.py`` writes them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentForm(models.TextChoices):
    FULL = "full", _("Full")
    SHORT = "short", _("Short")


class ProtocolDocumentQuerySet(models.QuerySet):
    """Which signed version counts, in one place. Use through ``meeting.documents`` or ``.filter(meeting=…)``."""

    def signed(self):
        """Versions signed by every signer (members see only these)."""
        return self.filter(is_complete=True)

    def in_force(self):
        """Versions no corrected version has superseded."""
        return self.filter(superseded_at__isnull=True)

    def current(self) -> "ProtocolDocument | None":
        """The newest version in force, complete or still waiting for signatures."""
        return self.in_force().order_by("-version").first()

    def current_signed(self) -> "ProtocolDocument | None":
        """The signed protocol: the newest complete version in force (what downloads return)."""
        return self.signed().in_force().order_by("-version").first()


class ProtocolDocument(models.Model):
    """A signed protocol PDF. Downloads return these bytes, never a re-render."""

    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="documents")
    version = models.PositiveIntegerField(_("version"), default=1)
    form = models.CharField(_("form"), max_length=5, choices=DocumentForm.choices, default=DocumentForm.FULL)
    file = models.FileField(_("file"), upload_to="protocols/%Y/")
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    corrects = models.ForeignKey(
        "self", verbose_name=_("corrects"), null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    is_complete = models.BooleanField(
        _("all signatures made"), default=False, help_text=_("False until every signer of the protocol has signed.")
    )
    # Printed on the PDF as the verification link (/verify/<public_id>/): known before the
    # bytes (and so the SHA-256) exist.
    public_id = models.CharField(_("public identifier"), max_length=32, blank=True, db_index=True)

    objects = ProtocolDocumentQuerySet.as_manager()

    class Meta:
        db_table = "meetings_protocoldocument"  # kept from before the move to this app
        verbose_name = _("signed protocol")
        verbose_name_plural = _("signed protocols")
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="protocol_document_version_unique"),
        ]

    def __str__(self):
        return f"{self.meeting} (версия {self.version})"


class ProtocolSignature(models.Model):
    document = models.ForeignKey(ProtocolDocument, on_delete=models.CASCADE, related_name="signatures")
    order = models.PositiveSmallIntegerField(_("order"))
    signer = models.ForeignKey("members.Person", verbose_name=_("signer"), null=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(_("role"), max_length=20)  # the signer's role in the protocol: chair, secretary, signer-2 …
    certificate_subject = models.CharField(_("certificate subject"), max_length=1000)
    certificate_serial = models.CharField(_("certificate serial"), max_length=100)
    valid_from = models.DateTimeField(_("valid from"))
    valid_to = models.DateTimeField(_("valid to"))
    signed_at = models.DateTimeField(_("signed at"))
    certificate_issuer = models.CharField(_("certificate issuer"), max_length=1000, blank=True)
    field_name = models.CharField(_("signature field"), max_length=50, blank=True)
    # The SHA-256 of the file right after this signature: the chain of revisions stays checkable.
    document_sha256 = models.CharField(_("SHA-256 after signing"), max_length=64, blank=True, db_index=True)

    class Meta:
        db_table = "meetings_protocolsignature"  # kept from before the move to this app
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["document", "order"]
        constraints = [models.UniqueConstraint(fields=["document", "order"], name="protocol_signature_order_unique")]

    def __str__(self):
        return f"{self.role}: {self.certificate_subject}"


class ProtocolCorrection(models.Model):
    """The secretary reopened a signed protocol: which signed version is corrected, why, by whom and when.
    The corrected version stays stored; the next signed version supersedes it."""

    document = models.ForeignKey(ProtocolDocument, verbose_name=_("corrected version"),
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


class PreparedSigning(models.Model):
    """A signature prepared for the signer whose turn it is, waiting for their browser's signature value:
    the PDF with the empty signature container, the digest of the rest and the CMS signed attributes for
    the certificate they presented (public only). Kept in the database so that «finish» may reach
    another application node; bound to the meeting, the version, the signer and the state of the file it
    was prepared on; used once; expires after ``SIGNING_PREPARE_TTL`` seconds."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    meeting = models.ForeignKey("meetings.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    signer = models.ForeignKey("members.Person", verbose_name=_("signer"), on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"))  # 1 for the first signer
    role = models.CharField(_("role"), max_length=20)
    field_name = models.CharField(_("signature field"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    public_id = models.CharField(_("public identifier"), max_length=32)
    meeting_revision = models.PositiveIntegerField(_("meeting revision"), default=0)
    # The SHA-256 of the stored file this signature goes on ("" for the first signer: a fresh render).
    base_sha256 = models.CharField(_("SHA-256 of the signed file"), max_length=64, blank=True)
    certificate = models.BinaryField(_("certificate (DER)"))
    chain = models.JSONField(_("other certificates (DER, base64)"), default=list)
    prepared_pdf = models.BinaryField(_("prepared PDF"))
    document_digest = models.CharField(_("document digest (hex)"), max_length=128)
    reserved_start = models.PositiveIntegerField()
    reserved_end = models.PositiveIntegerField()
    signed_attrs = models.BinaryField(_("signed attributes (DER)"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("prepared signature")
        verbose_name_plural = _("prepared signatures")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.meeting_id} v{self.version} #{self.order} ({self.role})"
