"""Forms of the register pages: they validate input; the writes are in ``members/services.py``."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import (
    AgendaNumbering,
    Body,
    BodyRole,
    Cluster,
    ClusterKind,
    Membership,
    MembershipStatus,
    Organization,
    Person,
    PortalRole,
    SignatoriesStyle,
)
from members.selectors import organizations_in, people_visible_in
from members.services import NewLogin, NewPerson, SignatoryEntry

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


# ---------------------------------------------------------------- «уже есть …: это она?»

class AskBeforeDuplicate(forms.Form):
    """For a form that adds something with a name: when ``find_duplicates(cleaned_data)`` finds
    namesakes, the form is refused once with ``duplicate_message`` and a confirm checkbox;
    checked, the duplicate is added. The namesakes are in ``form.duplicates`` for the page."""

    duplicate_message = _("There already is one with this name: is it the one?")
    confirm_duplicate = forms.BooleanField(
        label=_("No, this is a different one: add it anyway"), required=False, widget=forms.HiddenInput,
    )

    def __init__(self, *args, find_duplicates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.find_duplicates = find_duplicates
        self.duplicates = []

    def clean(self):
        data = super().clean()
        if self.find_duplicates is None or self._errors:
            return data
        self.duplicates = list(self.find_duplicates(data))
        if self.duplicates:
            self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
            if not data.get("confirm_duplicate"):
                raise forms.ValidationError(self.duplicate_message, code="duplicate")
        return data

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "confirm_duplicate"}

    @property
    def duplicate_links(self) -> list[tuple[str, str]]:
        """(url, label) of each namesake, for the «это она?» box."""
        return [(self.duplicate_url(obj), self.duplicate_label(obj)) for obj in self.duplicates]

    def duplicate_label(self, obj) -> str:
        return str(obj)


class OrganizationAddForm(AskBeforeDuplicate, OrganizationCreateForm):
    duplicate_message = _("There already is an organisation with this name: is it the one?")

    def duplicate_url(self, obj):
        return reverse("members:organization-detail", args=[obj.pk])

    def duplicate_label(self, obj):
        return f"{obj.full_name} ({obj.short_name})" if obj.short_name and obj.short_name != obj.full_name \
            else obj.full_name


class PersonAddForm(AskBeforeDuplicate, PersonForm):
    duplicate_message = _("There already is a person with this name: is it the one?")

    def duplicate_url(self, obj):
        return reverse("members:person-detail", args=[obj.pk])

    def duplicate_label(self, obj):
        return ", ".join(part for part in (obj.full_name, obj.position_and_organization) if part)


# ---------------------------------------------------------------- bodies and clusters

class BodyChoiceField(forms.ModelChoiceField):
    """Bodies always say which cluster they belong to: «Координационный совет (Кластер ИКТ)»."""

    def label_from_instance(self, obj):
        return obj.label_with_cluster


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["kind", "name", "name_genitive", "parent", "agenda_numbering", "attendance_list_limit",
                  "protocol_layout", "decision_numbering", "date_form"]
        field_classes = {"parent": BodyChoiceField}

    def __init__(self, *args, cluster=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without these (an older page, a script) keeps the body's settings.
        self.fields["protocol_layout"].required = False
        self.fields["decision_numbering"].required = False
        self.fields["date_form"].required = False
        cluster = cluster or self.instance.cluster
        parents = Body.objects.filter(cluster=cluster).select_related("cluster")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def clean_protocol_layout(self):
        return self.cleaned_data.get("protocol_layout") or self.instance.protocol_layout

    def clean_decision_numbering(self):
        return self.cleaned_data.get("decision_numbering") or self.instance.decision_numbering

    def clean_date_form(self):
        return self.cleaned_data.get("date_form") or self.instance.date_form


class BodyAddForm(AskBeforeDuplicate, BodyForm):
    duplicate_message = _("The cluster already has a body with this name: is it the one?")

    def duplicate_url(self, obj):
        return reverse("members:body-detail", args=[obj.pk])

    def duplicate_label(self, obj):
        return f"{obj.name} — {obj.get_kind_display()}"


class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        fields = ["name", "short_name", "region", "founded_on", "description", "agreement_title", "agreement"]
        widgets = {"founded_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


def _login_label(user):
    name = user.get_full_name()
    return f"{user.get_username()} — {name}" if name else user.get_username()


class LoginChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _login_label(obj)


class ClusterCreateForm(AskBeforeDuplicate):
    """/clusters/new/: the cluster, its council, who signs its protocols and the first secretary."""

    duplicate_message = _("There already is a cluster with this name: is it the one?")

    name = forms.CharField(label=_("Full name of the cluster"), max_length=500)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    region = forms.CharField(label=_("Region"), max_length=200, required=False)
    founded_on = date_field(_("Founded on"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ClusterKind.choices, initial=ClusterKind.CLUSTER, required=False,
        help_text=_("A coordinating authority (a ministry department) holds meetings with many clusters and may "
                    "address them in its decisions."),
    )

    council_name = forms.CharField(label=_("Name of the council"), max_length=300, initial="Координационный совет")
    council_name_genitive = forms.CharField(
        label=_("Name in the genitive"), max_length=300, required=False, initial="Координационного совета",
        help_text=_("As the protocol title needs it: «Координационного совета»."),
    )
    agenda_numbering = forms.ChoiceField(label=_("Agenda numbering"), choices=AgendaNumbering.choices)
    attendance_list_limit = forms.IntegerField(
        label=_("Attendance list limit"), min_value=1, max_value=1000, required=False,
        help_text=_("Above this many attendees only the total is printed; empty means the portal default."),
    )
    council_signatories = forms.ChoiceField(
        label=_("Who signs its protocols"), initial=SignatoriesStyle.CHAIR_SECRETARY, required=False,
        choices=[choice for choice in SignatoriesStyle.choices if choice[0] != SignatoriesStyle.CUSTOM],
        help_text=_("Signers in a set order are listed on the council's page once the cluster exists; "
                    "a protocol can have its own signers."),
    )

    chair_last_name = forms.CharField(label=_("Surname"), max_length=100, required=False)
    chair_first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    chair_patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    chair_position = forms.CharField(label=_("Position"), max_length=300, required=False)

    secretary_user = LoginChoiceField(label=_("Existing login"), queryset=get_user_model().objects.none(),
                                      required=False, empty_label=_("— a new login —"))
    secretary_username = forms.CharField(label=_("Login name"), max_length=150, required=False,
                                         validators=[UnicodeUsernameValidator()])
    secretary_last_name = forms.CharField(label=_("Surname"), max_length=100, required=False)
    secretary_first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    secretary_patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    secretary_position = forms.CharField(label=_("Position"), max_length=300, required=False)
    secretary_email = forms.EmailField(label=_("E-mail"), required=False,
                                       help_text=_("The set-password link is sent here."))

    NEW_LOGIN_FIELDS = ("secretary_username", "secretary_last_name", "secretary_email")

    def duplicate_url(self, obj):
        return f"{reverse('members:organization-list')}?cluster={obj.pk}"

    def duplicate_label(self, obj):
        return ", ".join(part for part in (obj.name, obj.region) if part)

    def __init__(self, *args, logins=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary_user"].queryset = logins if logins is not None else get_user_model().objects.none()

    def clean(self):
        data = self.cleaned_data
        if data.get("secretary_user") is None:
            for name in self.NEW_LOGIN_FIELDS:
                if not data.get(name) and name not in self._errors:
                    self.add_error(name, _("Needed for a new login (or choose an existing one)."))
        elif any(data.get(name) for name in self.NEW_LOGIN_FIELDS):
            self.add_error("secretary_user", _("Choose an existing login or fill in a new one, not both."))
        if (data.get("chair_first_name") or data.get("chair_patronymic") or data.get("chair_position")) \
                and not data.get("chair_last_name"):
            self.add_error("chair_last_name", _("The chair's surname is needed."))
        return super().clean()

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        chair = None
        if d["chair_last_name"]:
            chair = NewPerson(last_name=d["chair_last_name"], first_name=d["chair_first_name"],
                              patronymic=d["chair_patronymic"], position=d["chair_position"])
        secretary = d["secretary_user"] or NewLogin(username=d["secretary_username"], person=NewPerson(
            last_name=d["secretary_last_name"], first_name=d["secretary_first_name"],
            patronymic=d["secretary_patronymic"], position=d["secretary_position"], email=d["secretary_email"]))
        return {
            "name": d["name"], "short_name": d["short_name"], "region": d["region"], "founded_on": d["founded_on"],
            "council_name": d["council_name"], "council_name_genitive": d["council_name_genitive"],
            "agenda_numbering": d["agenda_numbering"], "attendance_list_limit": d["attendance_list_limit"],
            "council_signatories": d["council_signatories"] or SignatoriesStyle.CHAIR_SECRETARY, "secretary": secretary, "chair": chair, "kind": d.get("kind") or ClusterKind.CLUSTER,
        }


# ---------------------------------------------------------------- addressee categories

class AddresseeCategoryForm(forms.Form):
    """/clusters/<pk>/addressees/new/ and …/<id>/edit/: what ``services.addressee_category_save`` takes.
    The choices are the cluster's own organisations, and for a coordinating authority the clusters."""

    name = forms.CharField(
        label=_("Name as the protocol prints it"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("«Инициаторам создания образовательно-производственных центров (кластеров) …»"),
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Covered organisations"), queryset=Organization.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("Covered clusters"), queryset=Cluster.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    rule_founded_year = forms.IntegerField(
        label=_("…and every cluster founded in the year"), required=False, min_value=1990, max_value=2100,
        help_text=_("A rule instead of a list: the clusters are chosen when the decision fans out."),
    )
    rule_region = forms.CharField(
        label=_("…and every cluster of the region"), required=False, max_length=200,
        help_text=_("As the cluster's card writes it: «Смоленская область». With a year, both must hold."),
    )

    def __init__(self, *args, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations_in([cluster.pk]).order_by("short_name", "full_name")
        if cluster.is_authority:
            self.fields["clusters"].queryset = Cluster.objects.filter(kind=ClusterKind.CLUSTER).order_by("name")
        else:
            for name in ("clusters", "rule_founded_year", "rule_region"):
                del self.fields[name]


# ---------------------------------------------------------------- roles and logins

class RoleGrantForm(forms.Form):
    user = LoginChoiceField(label=_("Login"), queryset=get_user_model().objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=PortalRole.choices)

    def __init__(self, *args, logins=None, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = logins if logins is not None else get_user_model().objects.none()
        if roles is not None:
            self.fields["role"].choices = [(value, label) for value, label in PortalRole.choices if value in roles]


class PersonLoginForm(forms.Form):
    user = LoginChoiceField(label=_("Login"), queryset=get_user_model().objects.none(), required=False,
                            empty_label=_("— no login —"))

    def __init__(self, *args, logins=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = logins if logins is not None else get_user_model().objects.none()


# ---------------------------------------------------------------- who signs the protocols

class SignatoriesForm(forms.Form):
    """Who signs: a way of signing and, for signers in a set order, the list (``SignatoryRowFormSet``)."""

    style = forms.ChoiceField(label=_("Who signs the protocols"), choices=SignatoriesStyle.choices,
                              widget=forms.RadioSelect)

    def __init__(self, *args, inherit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if inherit_label is not None:  # a protocol may follow its body's setting
            self.fields["style"].choices = [("", inherit_label), *SignatoriesStyle.choices]
            self.fields["style"].required = False
            self.fields["style"].label = _("Who signs the protocol")


class SignatoryRowForm(forms.Form):
    """One signer of a set list. The people are the register of the body's cluster, given as choices once
    for the whole formset (``people``), so that a long register costs one query."""

    person = forms.TypedChoiceField(label=_("Person"), coerce=int, required=False, empty_value=None)
    label = forms.CharField(label=_("Position as printed"), max_length=300, required=False,
                            help_text=_("«Директор Департамента …», printed before the initials and surname."))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—"), *people]

    def clean(self):
        data = super().clean()
        if data.get("label") and not data.get("person"):
            self.add_error("person", _("Choose the person who signs under this position."))
        if data.get("person") and not (data.get("label") or "").strip():
            self.add_error("label", _("Type the position printed above the name."))
        return data


class BaseSignatoryRowFormSet(forms.BaseFormSet):
    def __init__(self, *args, people=(), **kwargs):
        self.people = list(people)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "people": self.people}

    def rows(self) -> list[tuple[int, str]]:
        """(person id, label) of the filled rows, in order."""
        return [(form.cleaned_data["person"], form.cleaned_data["label"].strip())
                for form in self.forms if form.cleaned_data.get("person")]


SignatoryRowFormSet = forms.formset_factory(SignatoryRowForm, formset=BaseSignatoryRowFormSet, extra=3, max_num=20,
                                            validate_max=True)


def signatory_person_choices(people) -> list[tuple[int, str]]:
    """«Рудометкин А.Н. — начальник Департамента …» for every person of ``people`` (load ``organization``)."""
    result = []
    for person in people:
        position = person.position_and_organization
        result.append((person.pk, f"{person.surname_initials} — {position}" if position else person.full_name))
    return result


def signatory_initial(rows) -> list[dict]:
    return [{"person": row.person_id, "label": row.label} for row in rows]


def signatories_forms(data, *, cluster_id: int, style: str, rows, inherit_label=None):
    """The form and the formset of a signatories page (the body's, or one protocol's), bound to ``data``
    (POST) or started from ``style`` and the current ``rows``. The people offered are the cluster's register."""
    people = signatory_person_choices(people_visible_in([cluster_id]).select_related("organization")
                                      .order_by("last_name", "first_name", "patronymic"))
    form = SignatoriesForm(data, initial={"style": style}, inherit_label=inherit_label)
    formset = SignatoryRowFormSet(data, initial=signatory_initial(rows), people=people, prefix="signers")
    return form, formset


def signatory_entries(formset) -> list:
    """The filled rows as ``SignatoryEntry`` (the people loaded in one query)."""
    rows = formset.rows()
    people = Person.objects.in_bulk([person_id for person_id, _label in rows])
    return [SignatoryEntry(person=people[person_id], label=label) for person_id, label in rows if person_id in people]
