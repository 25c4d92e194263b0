"""Filters of the meeting list (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.prepared import SENTINEL_ID, PreparedQuery
from members.access import visible_cluster_ids, visible_cluster_list
from members.models import Body, Cluster
from meetings.models import Meeting, MeetingStatus


# The «Body» options of the user's clusters, in the model's order (prepared: compiled once per process).
_BODY_OPTIONS = PreparedQuery(lambda ids: Body.objects.filter(cluster_id__in=ids).select_related("cluster")
                              .order_by("cluster", "kind", "name"), ids=[SENTINEL_ID])


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
        cluster_ids = visible_cluster_ids(user)
        clusters = [(cluster.pk, str(cluster)) for cluster in visible_cluster_list(user)]
        bodies = [(body.pk, body.label_with_cluster) for body in _BODY_OPTIONS.objects(ids=cluster_ids)]
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
