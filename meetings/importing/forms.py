"""The upload form of the import and the confirmation form of its review page."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from meetings.importing import reading
from members.models import Body


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ProtocolImportForm(forms.Form):
    body = forms.ModelChoiceField(label=_lazy("Body"), queryset=Body.objects.none(), empty_label=None,
                                  help_text=_lazy("The body whose protocols these are."))
    file = MultipleFileField(label=_lazy("Files"), required=False,
                             help_text=_lazy("One or more protocols: .docx, .txt or .md, up to 5 MB each."))
    text = forms.CharField(label=_lazy("Or paste the text of a protocol"), required=False,
                           widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, cluster_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(cluster_id__in=cluster_ids).select_related("cluster") \
            .order_by("cluster__name", "name")
        self.fields["body"].label_from_instance = lambda body: f"{body.cluster} — {body.name}"
        self.fields["file"].widget.attrs["accept"] = ".docx,.txt,.md"

    def clean_file(self):
        files = self.cleaned_data["file"]
        if len(files) > reading.MAX_FILES:
            raise forms.ValidationError(_("Upload at most %(count)s files at once.") % {"count": reading.MAX_FILES})
        sources, errors = [], []
        for upload in files:
            if upload.size > reading.MAX_FILE_BYTES:
                errors.append(f"«{upload.name}»: " + _("The file is larger than %(mb)s MB.")
                              % {"mb": reading.MAX_FILE_BYTES // (1024 * 1024)})
                continue
            try:
                sources.append((upload.name, reading.read_upload(upload.name, upload.read())))
            except reading.ReadError as error:
                errors.append(f"«{upload.name}»: {error}")
        if errors:
            raise forms.ValidationError(errors)
        return sources

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            return ""
        try:
            return reading.check_text(text)
        except reading.ReadError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("text"):
            raise forms.ValidationError(_("Choose a file or paste the text of a protocol."))
        return cleaned

    @property
    def sources(self) -> list[tuple[str, str]]:
        """(file name, text) of every protocol of the upload; the pasted text has no name."""
        sources = list(self.cleaned_data.get("file") or [])
        if self.cleaned_data.get("text"):
            sources.append(("", self.cleaned_data["text"]))
        return sources


class ConfirmForm(forms.Form):
    number = forms.CharField(label=_lazy("Number"), max_length=50, required=False)
    date = forms.DateField(label=_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
