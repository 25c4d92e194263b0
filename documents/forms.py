from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Signed protocols are well under a megabyte; the portal's upload ceiling applies if smaller.
VERIFY_MAX_BYTES = 20 * 1024 * 1024


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("PDF file to check"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = min(settings.UPLOAD_MAX_BYTES, VERIFY_MAX_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(_("The file is too large: at most %(size)s.") % {"size": filesizeformat(limit)})
        return upload


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("What is corrected and why"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the signed version being corrected."),
    )
    confirm = forms.BooleanField(
        label=_("I understand: the protocol returns to draft and must be approved and signed again"),
    )
