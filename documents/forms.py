from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PKCS12_MAX_BYTES = 64 * 1024
# Signed protocols are well under a megabyte; the portal's upload ceiling applies if smaller.
VERIFY_MAX_BYTES = 20 * 1024 * 1024


class SignForm(forms.Form):
    pkcs12 = forms.FileField(
        label=_("Certificate and key (PKCS#12 file: .p12, .pfx)"),
        help_text=_("The key is used for this one signature and is not stored."),
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
    )
    password = forms.CharField(
        label=_("Password of the file"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    confirm_owner_mismatch = forms.BooleanField(
        label=_("I confirm: the certificate is issued to another name, and I sign with it on purpose"), required=False,
    )

    def clean_pkcs12(self):
        upload = self.cleaned_data["pkcs12"]
        if upload.size > PKCS12_MAX_BYTES:
            raise forms.ValidationError(_("This is too large for a certificate file (at most 64 KB)."))
        return upload


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
