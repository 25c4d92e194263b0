"""Filters of the register pages (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Membership, MembershipStatus, OrganizationKind

ANY = "any"
STATUS_CHOICES = [
    (MembershipStatus.JOINED, _("Members")),
    (MembershipStatus.INVITED, _("Invited")),
    (MembershipStatus.LEFT, _("Left")),
    (ANY, _("Any status")),
]


class RegisterFilter(django_filters.FilterSet):
    """Over memberships annotated with ``state`` (see ``selectors.register_memberships``)."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="organization__kind", choices=OrganizationKind.choices, empty_label=_("Any kind")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    text = django_filters.CharFilter(label=_("Name or INN"), method="filter_text")

    class Meta:
        model = Membership
        fields = ["kind", "status", "text"]

    def __init__(self, data=None, *args, **kwargs):
        # Without a status the register lists the members, as protocols do.
        data = data.copy() if data is not None else None
        if data is not None and not data.get("status"):
            data["status"] = MembershipStatus.JOINED
        super().__init__(data, *args, **kwargs)
        self.form.fields["text"].widget = forms.TextInput(attrs={"placeholder": _("Name or INN")})

    def get_form_class(self):
        """django-filter builds the form class from the filters' fields for each instance; its fields
        depend on nothing per request (labels and choices are lazy), so it is built once (the register
        page makes this filter on every request)."""
        cls = type(self)
        if cls.__dict__.get("_form_class") is None:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_status(self, queryset, name, value):
        return queryset if value == ANY else queryset.filter(state=value)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return casefold_filter(queryset, ["organization__full_name", "organization__short_name", "organization__inn"], value)


def casefold_filter(queryset, field_names, value: str):
    """Case-insensitive containment that also works for Cyrillic on SQLite (whose LIKE and LOWER
    fold ASCII only): the names are matched in Python, one query, then filtered by primary key."""
    needle = value.casefold()
    pks = [
        pk for pk, *texts in queryset.values_list("pk", *field_names)
        if any(needle in (text or "").casefold() for text in texts)
    ]
    return queryset.filter(pk__in=pks)
