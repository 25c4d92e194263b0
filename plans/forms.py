"""Forms validate only; the services in ``plans.services`` write."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Cluster
from plans import selectors
from plans.models import MONTHS_NOMINATIVE, ItemStatus, PlanItem, PlanSection, TimeframeKind, WorkPlan

CHECK = forms.CheckboxInput(attrs={"class": "form-check-input"})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WorkPlanForm(forms.ModelForm):
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.none())

    class Meta:
        model = WorkPlan
        fields = ["cluster", "title", "period", "period_start", "period_end"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "period_start": DATE,
            "period_end": DATE,
        }

    def __init__(self, *args, cluster_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["cluster"]
        else:
            self.fields["cluster"].queryset = Cluster.objects.filter(pk__in=cluster_ids)
            if len(cluster_ids) == 1:
                self.fields["cluster"].initial = cluster_ids[0]
        self.fields["period"].help_text = _("As the plan writes it: «на 2023 год».")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data

    def _post_clean(self):
        # The service validates the model; the form only checks the input.
        pass


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


MONTH_CHOICES = [("", "—")] + [(str(n), MONTHS_NOMINATIVE[n].capitalize()) for n in range(1, 13)]


class PlanItemForm(forms.Form):
    """An item with its timeframe entered as structure: quarters, during the year, a month, a date or a range."""

    section = forms.ModelChoiceField(label=_("Section"), queryset=PlanSection.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Event"), widget=forms.Textarea(attrs={"rows": 3}))
    timeframe_kind = forms.ChoiceField(
        label=_("Timeframe"), choices=TimeframeKind.choices, initial=TimeframeKind.QUARTERS,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    q1 = forms.BooleanField(label=_("1st quarter"), required=False, widget=CHECK)
    q2 = forms.BooleanField(label=_("2nd quarter"), required=False, widget=CHECK)
    q3 = forms.BooleanField(label=_("3rd quarter"), required=False, widget=CHECK)
    q4 = forms.BooleanField(label=_("4th quarter"), required=False, widget=CHECK)
    month = forms.TypedChoiceField(label=_("Month"), choices=MONTH_CHOICES, coerce=int, required=False, empty_value=None)
    date_from = forms.DateField(label=_("Date (from)"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("to"), required=False, widget=DATE)
    organizers = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=selectors.Organization.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}), help_text=_("Hold Ctrl to pick several."),
    )
    organizer_bodies = forms.ModelMultipleChoiceField(
        label=_("Bodies of the cluster"), queryset=selectors.Body.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organizers_text = forms.CharField(
        label=_("Organizers and participants as written"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Empty: written from the organisations and bodies picked above."),
    )

    def __init__(self, *args, plan: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["section"].queryset = plan.sections.order_by("order")
        self.fields["section"].label_from_instance = lambda s: f"{s.number} {s.title[:90]}"
        self.fields["organizers"].queryset = selectors.cluster_organizations(plan.cluster_id)
        self.fields["organizer_bodies"].queryset = selectors.cluster_bodies(plan.cluster_id)
        self.fields["year"].initial = plan.period_start.year

    @classmethod
    def initial_for(cls, item: PlanItem) -> dict:
        initial = {name: getattr(item, name) for name in (
            "title", "timeframe_kind", "year", "q1", "q2", "q3", "q4", "month", "date_from", "date_to", "organizers_text"
        )}
        initial["section"] = item.section_id
        initial["organizers"] = list(item.organizers.all())
        initial["organizer_bodies"] = list(item.organizer_bodies.all())
        return initial

    def clean(self):
        data = super().clean()
        kind = data.get("timeframe_kind")
        quarters = [data.get(f"q{n}") for n in range(1, 5)]
        if kind == TimeframeKind.QUARTERS and not any(quarters):
            self.add_error("q1", _("Tick at least one quarter."))
        if kind == TimeframeKind.MONTH and not data.get("month"):
            self.add_error("month", _("Choose the month."))
        if kind in (TimeframeKind.DATE, TimeframeKind.RANGE) and not data.get("date_from"):
            self.add_error("date_from", _("Enter the date."))
        if kind == TimeframeKind.RANGE:
            start, end = data.get("date_from"), data.get("date_to")
            if not end:
                self.add_error("date_to", _("Enter the end of the range."))
            elif start and end < start:
                self.add_error("date_to", _("The range must end after it starts."))
        self._normalise(data, kind)
        if not (data.get("organizers_text") or "").strip() and not data.get("organizers") and not data.get("organizer_bodies"):
            self.add_error("organizers_text", _("Name the organizers: pick them from the register or type them."))
        return data

    @staticmethod
    def _normalise(data: dict, kind: str) -> None:
        """Keep only the parts of the timeframe that its kind uses."""
        if kind != TimeframeKind.QUARTERS:
            for n in range(1, 5):
                data[f"q{n}"] = False
        if kind != TimeframeKind.MONTH:
            data["month"] = None
        if kind not in (TimeframeKind.DATE, TimeframeKind.RANGE):
            data["date_from"] = data["date_to"] = None
        elif kind == TimeframeKind.DATE:
            data["date_to"] = None
        date_from = data.get("date_from")
        if isinstance(date_from, datetime.date) and kind in (TimeframeKind.DATE, TimeframeKind.RANGE):
            data["year"] = date_from.year


class ItemReportForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)
    report = forms.CharField(
        label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=5000,
        help_text=_("What was done, briefly."),
    )
    meetings = forms.ModelMultipleChoiceField(
        label=_("Meetings carrying it out"), queryset=selectors.Meeting.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    decisions = forms.ModelMultipleChoiceField(
        label=_("Decisions carrying it out"), queryset=selectors.Decision.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, item: PlanItem, links: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cluster_id = item.section.plan.cluster_id
        if links:
            self.fields["meetings"].queryset = selectors.cluster_meetings(cluster_id)
            self.fields["decisions"].queryset = selectors.cluster_decisions(cluster_id)
            self.fields["decisions"].label_from_instance = decision_label
        else:
            del self.fields["meetings"]
            del self.fields["decisions"]

    def clean(self):
        data = super().clean()
        if data.get("status") == ItemStatus.DONE and not (data.get("report") or "").strip():
            self.add_error("report", _("Write a short report when marking the item done."))
        return data


def decision_label(decision) -> str:
    return f"{decision.citation} — {decision.agenda_item.meeting}: {decision.text[:90]}"


class ApproveForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("Approving decision"), queryset=selectors.Decision.objects.none(),
                                      empty_label=None)

    def __init__(self, *args, plan: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = selectors.eligible_approving_decisions(plan)
        self.fields["decision"].label_from_instance = decision_label


class ImportForm(forms.Form):
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.none(), empty_label=None)
    file = forms.FileField(label=_("XLSX file"), help_text=_("The plan table: «№ п/п», «Направление/мероприятие», "
                                                          "«Дата проведения мероприятия», «Организаторы/участники мероприятий»."))

    def __init__(self, *args, cluster_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = Cluster.objects.filter(pk__in=cluster_ids)

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file."))
        if file.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return file
