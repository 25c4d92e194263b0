"""Filters of the plan table: quarter, organizer, status (with the computed «overdue»), my organisation."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.access import user_organization_id
from plans.models import (
    OPEN_ITEM_STATUSES, OVERDUE, PROGRESS_STATUS_LABELS, PlanItem, PlanStatus, TimeframeKind, WorkPlan, item_overdue_q,
)
from plans.selectors import organizer_choices

QUARTER_CHOICES = [("1", _("1st quarter")), ("2", _("2nd quarter")), ("3", _("3rd quarter")), ("4", _("4th quarter"))]


def quarter_q(quarter: int) -> Q:
    """Items running in the quarter: flagged quarters, «В течение года», a month in it, or dates overlapping it."""
    first, last = quarter * 3 - 2, quarter * 3
    return (
        Q(timeframe_kind=TimeframeKind.QUARTERS, **{f"q{quarter}": True})
        | Q(timeframe_kind=TimeframeKind.YEAR)
        | Q(timeframe_kind=TimeframeKind.MONTH, month__gte=first, month__lte=last)
        | Q(timeframe_kind__in=[TimeframeKind.DATE, TimeframeKind.RANGE], date_from__month__lte=last, due_date__month__gte=first)
    )


def text_variants(value: str) -> Q:
    """Case-insensitive containment that also works for Cyrillic on SQLite (its LIKE folds ASCII only)."""
    query = Q()
    for variant in {value, value.lower(), value.capitalize(), value.upper()}:
        query |= Q(organizers_text__icontains=variant)
    return query


class PlanItemFilter(django_filters.FilterSet):
    quarter = django_filters.ChoiceFilter(label=_("Quarter"), choices=QUARTER_CHOICES, method="filter_quarter")
    organizer = django_filters.ChoiceFilter(
        label=_("Organizer"),
        method="filter_organizer",
        empty_label=_("Any"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    text = django_filters.CharFilter(label=_("Organizers contain"), method="filter_text")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=list(PROGRESS_STATUS_LABELS.items()), method="filter_status"
    )
    mine = django_filters.BooleanFilter(
        label=_("Items of my organisation"), method="filter_mine", widget=forms.CheckboxInput
    )

    class Meta:
        model = PlanItem
        fields = []

    def __init__(self, *args, plan: WorkPlan, **kwargs):
        super().__init__(*args, **kwargs)
        organizations, cluster_bodies = organizer_choices(plan.cluster_id)
        self.organizer_rows = (organizations, cluster_bodies)  # what the organizer select lists (its cache key)
        orgs = [(f"org:{pk}", label) for pk, label in organizations]
        bodies = [(f"body:{pk}", name) for pk, name in cluster_bodies]
        self.filters["organizer"].extra["choices"] = [(_("Organisations"), orgs), (_("Bodies"), bodies)]

    def filter_quarter(self, queryset, name, value):
        return queryset.filter(quarter_q(int(value))) if value else queryset

    def filter_organizer(self, queryset, name, value):
        kind, _sep, pk = value.partition(":")
        if kind == "org":
            return queryset.filter(organizers__pk=pk).distinct()
        if kind == "body":
            return queryset.filter(organizer_bodies__pk=pk).distinct()
        return queryset

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(text_variants(value)) if value else queryset

    def filter_status(self, queryset, name, value):
        if value == OVERDUE:
            return queryset.filter(item_overdue_q())
        if value in OPEN_ITEM_STATUSES:
            return queryset.filter(status=value).exclude(item_overdue_q())
        return queryset.filter(status=value) if value else queryset

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        org_id = user_organization_id(self.request.user) if self.request else None
        return queryset.filter(organizers__pk=org_id).distinct() if org_id else queryset.none()


class WorkPlanFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices)
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")

    class Meta:
        model = WorkPlan
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.filter(period_start__year__lte=value, period_end__year__gte=value) if value else queryset
