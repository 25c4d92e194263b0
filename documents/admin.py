from django.contrib import admin

from documents.models import ProtocolCorrection, ProtocolDocument, ProtocolSignature


class SignatureInline(admin.TabularInline):
    model = ProtocolSignature
    extra = 0
    can_delete = False
    readonly_fields = [
        "order", "signer", "role", "certificate_subject", "certificate_serial", "valid_from", "valid_to", "signed_at"
    ]
    exclude = ["user"]


@admin.register(ProtocolDocument)
class ProtocolDocumentAdmin(admin.ModelAdmin):
    list_display = ["meeting", "version", "form", "is_complete", "sha256", "created_at", "superseded_at"]
    list_select_related = ["meeting"]
    list_filter = ["is_complete", "form"]
    search_fields = ["sha256"]
    readonly_fields = ["sha256", "size", "file", "created_at"]
    inlines = [SignatureInline]


@admin.register(ProtocolCorrection)
class ProtocolCorrectionAdmin(admin.ModelAdmin):
    list_display = ["document", "reason", "started_by", "started_at"]
    list_select_related = ["document__meeting", "started_by"]
    readonly_fields = ["document", "reason", "started_by", "started_at"]

    def has_add_permission(self, request):
        # A correction is started from the protocol page (documents.services); an add form here would
        # only save an empty row (every field is read-only), and the database refuses that.
        return False
