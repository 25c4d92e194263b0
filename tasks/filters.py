"""Filters of the assignment list (django-filter). Choices are scoped to the user's clusters."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.access import visible_cluster_ids
from members.models import Cluster, Membership, Organization
from meetings.access import meetings_visible_to
from meetings.models import AssignmentStatus, Meeting, open_q, overdue_q

from tasks.reports import done_late_q, done_on_time_q
from tasks.selectors import of_cluster_q


class State(models.TextChoices):
    OVERDUE = "overdue", _("Overdue")
    WEEK = "week", _("Due within 7 days")
    OPEN = "open", _("Open, not overdue")
    ON_TIME = "on_time", _("Done on time")
    LATE = "late", _("Done late")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class AssignmentFilter(django_filters.FilterSet):
    """Every field is bounded whatever the data: no ``<option>`` per protocol or organisation (an
    administrator sees thousands). The party is typed, the protocol is its year and number;
    ``organization`` and ``meeting`` by id stay for drill-down links (the discipline report):
    hidden inputs, validated against the user's clusters, and named above the list when given."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssignmentStatus.choices)
    state = django_filters.ChoiceFilter(label=_("Control"), choices=State.choices, method="filter_state")
    deadline_after = django_filters.DateFilter(
        label=_("Deadline from"), field_name="deadline", lookup_expr="gte", widget=DateInput()
    )
    deadline_before = django_filters.DateFilter(
        label=_("Deadline to"), field_name="deadline", lookup_expr="lte", widget=DateInput()
    )
    cluster = django_filters.ModelChoiceFilter(label=_("Cluster"), queryset=Cluster.objects.none(),
                                               method="filter_cluster")
    party = django_filters.CharFilter(
        label=_("Responsible"), method="filter_party", max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("organisation or surname"), "type": "search"}),
    )
    year = IntegerFilter(
        label=_("Protocol year"), field_name="decision__agenda_item__meeting__year", min_value=1990, max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": _("e.g. 2023")}),
    )
    number = django_filters.CharFilter(
        label=_("Protocol No."), field_name="decision__agenda_item__meeting__number", max_length=50,
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organization.objects.none(), method="filter_organization"
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("Protocol"), queryset=Meeting.objects.none(), field_name="decision__agenda_item__meeting"
    )

    def __init__(self, *args, user, now: datetime.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        clusters = visible_cluster_ids(user)
        self.filters["cluster"].queryset = Cluster.objects.filter(pk__in=clusters)
        # Querysets only validate a given id (one query then); their choices are never listed, so
        # they are built only when an id is given (building them costs more than the list's query).
        data = self.data or {}
        if data.get("organization"):
            self.filters["organization"].queryset = Organization.objects.filter(
                pk__in=Membership.objects.filter(cluster_id__in=clusters).values("organization_id")
            )
        if data.get("meeting"):
            self.filters["meeting"].queryset = meetings_visible_to(user)
        fields = self.form.fields
        if len(clusters) < 2:  # one cluster: nothing to choose (the value still works for drill-down links)
            fields["cluster"].widget = forms.HiddenInput()
        for name in ("organization", "meeting"):
            fields[name].widget = forms.HiddenInput()
        for field in fields.values():  # Bootstrap classes here: the template renders widgets directly
            if not field.widget.is_hidden:
                css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
                field.widget.attrs["class"] = css

    def chosen(self):
        """The drill-down values the list is filtered by, as (field, label, object) to show above it."""
        if not self.is_bound or not self.form.is_valid():
            return []
        labels = {"organization": _("Organisation"), "meeting": _("Protocol")}
        return [(name, labels[name], self.form.cleaned_data[name]) for name in labels if self.form.cleaned_data.get(name)]

    def filter_cluster(self, queryset, name, value):
        # with what coordinating authorities assigned to the cluster's bodies (issue 17)
        return queryset.filter(of_cluster_q(value.pk))

    def filter_party(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(organization__short_name__icontains=value) | Q(organization__full_name__icontains=value)
            | Q(person__last_name__icontains=value) | Q(body__name__icontains=value)
        )

    def filter_organization(self, queryset, name, value):
        # An organisation answers for its own assignments and for those of its people.
        return queryset.filter(Q(organization=value) | Q(person__organization=value))

    def filter_state(self, queryset, name, value):
        now = self.now
        if value == State.OVERDUE:
            return queryset.overdue(now)
        if value == State.WEEK:
            today = timezone.localtime(now).date()
            return queryset.open_not_overdue(now).filter(deadline__lte=today + datetime.timedelta(days=7))
        if value == State.OPEN:
            return queryset.filter(open_q() | Q(status=AssignmentStatus.REPORTED)).exclude(overdue_q(now))
        if value == State.ON_TIME:
            return queryset.filter(done_on_time_q())
        if value == State.LATE:
            return queryset.filter(done_late_q())
        return queryset
