"""Filters of the meeting list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.access import visible_cluster_ids
from members.models import Body, Cluster
from meetings.models import Meeting, MeetingStatus


class MeetingFilter(django_filters.FilterSet):
    cluster = django_filters.ModelChoiceFilter(label=_("Cluster"), queryset=Cluster.objects.none(), empty_label=_("All"))
    body = django_filters.ModelChoiceFilter(label=_("Body"), queryset=Body.objects.none(), empty_label=_("All"))
    year = django_filters.NumberFilter(label=_("Year"), widget=forms.NumberInput(attrs={"placeholder": "2023"}))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices, empty_label=_("All"))
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Meeting
        fields = ["cluster", "body", "year", "status", "q"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cluster_ids = visible_cluster_ids(user)
        self.filters["cluster"].queryset = Cluster.objects.filter(pk__in=cluster_ids)
        self.filters["body"].queryset = Body.objects.filter(cluster_id__in=cluster_ids).select_related("cluster")
        self.filters["body"].field.label_from_instance = lambda body: body.label_with_cluster
        self.filters["q"].field.widget.attrs["placeholder"] = _("Title, agenda, decisions")

    def search(self, queryset, name, value):
        """Free text over the title, the agenda and the decisions (one EXISTS-style subquery)."""
        matching = Meeting.objects.filter(
            Q(title__icontains=value)
            | Q(number__iexact=value)
            | Q(agenda_items__title__icontains=value)
            | Q(agenda_items__decisions__text__icontains=value)
        ).values("pk")
        return queryset.filter(pk__in=matching)
