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
from members.models import Cluster, Organization
from meetings.access import meetings_visible_to
from meetings.models import AssignmentStatus, open_q, overdue_q

from tasks.reports import done_late_q, done_on_time_q


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


class AssignmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssignmentStatus.choices)
    state = django_filters.ChoiceFilter(label=_("Control"), choices=State.choices, method="filter_state")
    deadline_after = django_filters.DateFilter(
        label=_("Deadline from"), field_name="deadline", lookup_expr="gte", widget=DateInput()
    )
    deadline_before = django_filters.DateFilter(
        label=_("Deadline to"), field_name="deadline", lookup_expr="lte", widget=DateInput()
    )
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"), queryset=Cluster.objects.none(), field_name="decision__agenda_item__meeting__cluster"
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organization.objects.none(), method="filter_organization"
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("Protocol"), queryset=Organization.objects.none(), field_name="decision__agenda_item__meeting"
    )

    def __init__(self, *args, user, now: datetime.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        clusters = visible_cluster_ids(user)
        self.filters["cluster"].queryset = Cluster.objects.filter(pk__in=clusters)
        self.filters["organization"].queryset = (
            Organization.objects.filter(memberships__cluster_id__in=clusters).distinct().order_by("short_name", "full_name")
        )
        self.filters["meeting"].queryset = meetings_visible_to(user).order_by("-date", "-id")
        if len(clusters) < 2:  # one cluster: nothing to choose (the value still works for drill-down links)
            self.form.fields["cluster"].widget = forms.HiddenInput()

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
