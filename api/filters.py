"""The API's filters are the pages' filters (django-filter): the same fields, the same scoping of the
choices to the user's clusters. ``UserFilterBackend`` hands them the acting user as the pages do."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from meetings.access import meetings_visible_to
from meetings.filters import MeetingFilter
from meetings.models import DecisionKind, Meeting
from members.access import visible_cluster_ids
from members.models import Cluster, OrganizationKind
from plans.filters import WorkPlanFilter
from tasks.filters import AssignmentFilter, IntegerFilter


class UserFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request, queryset, view):
        return {**super().get_filterset_kwargs(request, queryset, view), "user": request.user}


class ApiMeetingFilter(MeetingFilter):
    """The protocol list's filter (cluster, body, year, status, q) plus a date range."""

    date_after = django_filters.DateFilter(label=_("Date from"), field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(label=_("Date to"), field_name="date", lookup_expr="lte")

    class Meta(MeetingFilter.Meta):
        fields = [*MeetingFilter.Meta.fields, "date_after", "date_before"]


class ApiAssignmentFilter(AssignmentFilter):
    """The assignment list's filter: status, state, deadline range, cluster, party, year, number,
    organization, meeting."""


class DecisionFilter(django_filters.FilterSet):
    cluster = django_filters.ModelChoiceFilter(label=_("Cluster"), queryset=Cluster.objects.none())
    meeting = django_filters.ModelChoiceFilter(label=_("Protocol"), queryset=Meeting.objects.none(),
                                               field_name="agenda_item__meeting")
    year = IntegerFilter(label=_("Protocol year"), field_name="agenda_item__meeting__year", min_value=1990,
                         max_value=2100)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DecisionKind.choices)
    deadline_after = django_filters.DateFilter(label=_("Deadline from"), field_name="deadline", lookup_expr="gte")
    deadline_before = django_filters.DateFilter(label=_("Deadline to"), field_name="deadline", lookup_expr="lte")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["cluster"].queryset = Cluster.objects.filter(pk__in=visible_cluster_ids(user))
        self.filters["meeting"].queryset = meetings_visible_to(user)


class ApiWorkPlanFilter(WorkPlanFilter):
    """The plan list's filter (status, year) plus the cluster."""

    cluster = django_filters.ModelChoiceFilter(label=_("Cluster"), queryset=Cluster.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["cluster"].queryset = Cluster.objects.filter(pk__in=visible_cluster_ids(user))


class RegisterFilter(django_filters.FilterSet):
    """The register of one cluster: its state on a day, by organisation kind."""

    on = django_filters.DateFilter(label=_("On the day"), method="keep")
    kind = django_filters.ChoiceFilter(label=_("Kind"), field_name="organization__kind",
                                       choices=OrganizationKind.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def keep(self, queryset, name, value):
        return queryset  # the day is applied by the view (``register_memberships``)


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Surname"), method="keep", max_length=100,
                                  widget=forms.TextInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def keep(self, queryset, name, value):
        return queryset  # the view searches as the people page does (``casefold_filter``)
