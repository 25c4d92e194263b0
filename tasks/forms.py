"""Forms validate input only; the services in tasks/services.py do the writes."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from members.models import Cluster
from tasks.filters import DateInput
from tasks.services import REPORT_FILE_MAX_BYTES, REPORT_MAX_FILES, validate_report_file


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(
        label=_("Files"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # in the language of the request (a class-level «%» would fix it in the language of the import)
        self.fields["files"].help_text = _(
            "PDF, DOC, DOCX, XLS, XLSX, ODT, ODS, JPG, PNG or ZIP; up to %(size)s MB each, at most %(count)s files."
        ) % {"size": REPORT_FILE_MAX_BYTES // 1048576, "count": REPORT_MAX_FILES}

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > REPORT_MAX_FILES:
            raise ValidationError(_("At most %(count)s files per report.") % {"count": REPORT_MAX_FILES})
        errors = []
        for upload in files:
            try:
                validate_report_file(upload)
            except DomainError as error:
                errors.append(str(error))
        if errors:
            raise ValidationError(errors)
        return files


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionRequestForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DisciplineFilterForm(forms.Form):
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.none(), required=False,
                                     empty_label=_("All my clusters"))
    date_from = forms.DateField(label=_("Deadlines from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Deadlines to"), required=False, widget=DateInput())

    def __init__(self, *args, cluster_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.filter(pk__in=cluster_ids)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("The period must end after it starts."))
        return data
