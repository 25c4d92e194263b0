"""Filters of the meeting list (django-filter)."""

import hashlib

import django_filters
from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import fragments
from core.prepared import SENTINEL_ID, PreparedQuery
from members.access import visible_cluster_ids, visible_cluster_list
from members.models import Body, Cluster
from meetings.models import Meeting, MeetingStatus


# The «Body» options of the user's clusters, in the model's order, as (pk, name, the cluster's short
# name and name) tuples (prepared: compiled once per process).
_BODY_OPTIONS = PreparedQuery(lambda ids: Body.objects.filter(cluster_id__in=ids).order_by("cluster", "kind", "name")
                              .values_list("pk", "name", "cluster__short_name", "cluster__name"), ids=[SENTINEL_ID])


def _options(user) -> tuple[list, list]:
    """The «Cluster» and «Body» choices as the querysets name them (``Cluster.__str__``, ``Body.label_with_cluster``)."""
    clusters = [(cluster.pk, str(cluster)) for cluster in visible_cluster_list(user)]
    bodies = [(pk, f"{name} ({short or cluster})") for pk, name, short, cluster in _BODY_OPTIONS.rows(ids=visible_cluster_ids(user))]
    return clusters, bodies


def opening_fields_html(user) -> SafeString:
    """The filter's controls as the list opens (no filter value: ``?page=`` at most), from the ``local`` cache,
    keyed on the language and the two choice lists that come from the data: rendered once per process, not
    built (``FilterSet``, its form, five controls) on every request."""
    clusters, bodies = _options(user)
    key = "meeting-filter:" + hashlib.sha256(repr((get_language(), clusters, bodies)).encode()).hexdigest()
    html = fragments.get(key)
    if html is None:
        meeting_filter = MeetingFilter(QueryDict(), queryset=Meeting.objects.none(), user=user)
        meeting_filter.set_options(clusters, bodies)
        html = render_to_string("meetings/_meeting_filter_fields.html", {"filter": meeting_filter})
        fragments.put(key, html)
    return mark_safe(html)


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

    def prepare_options(self, user):
        """The cluster and body options as the querysets give them, from prepared queries (the list
        page prints them on every request; validating a filter still uses the querysets)."""
        self.set_options(*_options(user))

    def set_options(self, clusters: list, bodies: list):
        for name, options in (("cluster", clusters), ("body", bodies)):
            field = self.filters[name].field
            # Django's own ChoiceField setter: django-filter's would wrap the list in a ModelChoiceIterator
            head = [("", field.empty_label)] if field.empty_label is not None else []
            if field.null_label is not None:  # django-filter's «none» choice (FILTERS_NULL_CHOICE_LABEL)
                head.append((field.null_value, field.null_label))
            forms.ChoiceField.choices.fset(field, [*head, *options])

    def search(self, queryset, name, value):
        """Free text over the title, the agenda and the decisions (one EXISTS-style subquery)."""
        matching = Meeting.objects.filter(
            Q(title__icontains=value)
            | Q(number__iexact=value)
            | Q(agenda_items__title__icontains=value)
            | Q(agenda_items__decisions__text__icontains=value)
        ).values("pk")
        return queryset.filter(pk__in=matching)
