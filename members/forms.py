"""Forms of the register pages: they validate input; the writes are in ``members/services.py``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import BodyRole, Cluster, Membership, MembershipStatus, Organization, Person

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, input_formats=DATE_FORMATS, widget=DateInput(), **kwargs)


class AsOfDateForm(forms.Form):
    """``?on=YYYY-MM-DD``: the register or a composition as of a date."""

    on = date_field(_("As of"), required=False)


def decision_choices(cluster_ids):
    # The invitation decision is a meetings.Decision; the register reaches it through its own
    # foreign key instead of importing the app above it.
    Decision = Membership._meta.get_field("invitation_decision").related_model
    return (
        Decision.objects.filter(agenda_item__meeting__cluster_id__in=cluster_ids)
        .select_related("agenda_item__meeting__body")
        .prefetch_related("agenda_item__decisions")
        .order_by("-agenda_item__meeting__date", "agenda_item__order", "order")
    )


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} — {obj.agenda_item.meeting.short_label}: {obj.text[:90]}"


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["full_name", "short_name", "kind", "parent", "inn", "website"]

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = parents if parents is not None else Organization.objects.none()
        if self.instance.pk:
            queryset = queryset.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = queryset


class OrganizationCreateForm(OrganizationForm):
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.none(), empty_label=None)
    status = forms.ChoiceField(
        label=_("Membership"),
        choices=[(MembershipStatus.JOINED, _("Joined the agreement")), (MembershipStatus.INVITED, _("Invited"))],
    )
    on = date_field(_("Date"))
    document_title = forms.CharField(label=_("Accession document"), max_length=300, required=False)
    document = forms.FileField(label=_("Document file"), required=False)

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters if clusters is not None else Cluster.objects.none()


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["last_name", "first_name", "patronymic", "position", "organization", "email", "phone"]
        # The model's label «name» is translated for clusters («Наименование»); a person has a first name.
        labels = {"first_name": _("First name")}

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = organizations if organizations is not None else Organization.objects.none()
        field.required = not (self.instance.pk and self.instance.organization_id is None)


class CompositionChangeForm(forms.Form):
    """«Изменить состав с даты»: who holds which role from which day."""

    role = forms.ChoiceField(label=_("Role"), choices=BodyRole.choices)
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    on = date_field(_("From"))
    term_end = date_field(_("Term ends"), required=False,
                          help_text=_("For a fixed term, e.g. a chair elected for five years."))
    appointed_by = DecisionChoiceField(label=_("By decision"), queryset=Person.objects.none(), required=False)
    include_children = forms.BooleanField(
        label=_("Also in the sub-bodies (presidium) where the outgoing holder has the same role"),
        required=False, initial=True,
    )

    def __init__(self, *args, body=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people if people is not None else Person.objects.none()
        self.fields["person"].label_from_instance = lambda p: f"{p.surname_initials}{', ' + str(p.organization) if p.organization_id else ''}"
        self.fields["appointed_by"].queryset = decision_choices([body.cluster_id]) if body else Person.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("term_end") and data.get("on") and data["term_end"] < data["on"]:
            self.add_error("term_end", _("The term cannot end before it starts."))
        return data


class SeatEndForm(forms.Form):
    on = date_field(_("Last day of the term"))


class MembershipActionForm(forms.Form):
    cluster = forms.ModelChoiceField(label=_("Cluster"), queryset=Cluster.objects.none(), empty_label=None)
    on = date_field(_("Date"))

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters if clusters is not None else Cluster.objects.none()


class InviteForm(MembershipActionForm):
    decision = DecisionChoiceField(label=_("By decision"), queryset=Cluster.objects.none(), required=False,
                                   help_text=_("For example decision 1.5 of the protocol of 30 March 2023."))

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, clusters=clusters, **kwargs)
        ids = list(clusters.values_list("pk", flat=True)) if clusters is not None else []
        self.fields["decision"].queryset = decision_choices(ids)


class JoinForm(MembershipActionForm):
    document_title = forms.CharField(label=_("Accession document"), max_length=300, required=False,
                                     initial="Заявление о присоединении к Соглашению о создании кластера")
    document = forms.FileField(label=_("Document file"), required=False)


class LeaveForm(MembershipActionForm):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
