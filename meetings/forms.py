"""The protocol editor: a meeting form, an attendance formset and an agenda formset whose
items carry nested speaker and decision formsets (prefixes ``items-<i>-sp`` / ``items-<i>-dec``).

Forms only validate. Choice lists are loaded once per editor (``EditorChoices``) and shared
by every row, so the editor runs a fixed number of queries however long the protocol is.
"""

import uuid

from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from members.models import AddresseeCategory, Body, Cluster, ClusterKind, Organization, OrganizationKind, Person
from members.selectors import organizations_in, people_visible_in
from core import ru
from meetings.models import (
    AttendanceMode,
    DeadlineFormat,
    Decision,
    DecisionKind,
    Meeting,
    Vote,
    number_decisions,
)
from meetings.services import MEETING_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def person_label(person) -> str:
    position = person.position_and_organization
    return f"{person.surname_initials} — {position}" if position else person.full_name


def decision_label(decision) -> str:
    return f"{decision.agenda_item.meeting.short_label}, {decision.number}: {decision.text[:90]}"


class SearchSelect(forms.Select):
    """A select that renders only the chosen option; typing in the search box beside it
    (meetings/editor.js) loads matching options from ``data-search-url``."""

    def __init__(self, url, attrs=None):
        super().__init__(attrs={"data-search-url": url, "class": "form-select search-select", **(attrs or {})})

    def optgroups(self, name, value, attrs=None):
        selected = {str(v) for v in value if v not in (None, "")}
        groups = []
        for index, (option_value, label) in enumerate(self.choices):
            chosen = str(option_value) in selected
            if chosen or (option_value in (None, "") and not self.allow_multiple_selected):
                groups.append((None, [self.create_option(name, option_value, label, chosen, index)], index))
        return groups


class SearchSelectMultiple(SearchSelect, forms.SelectMultiple):
    allow_multiple_selected = True


def named_on(initial: dict) -> dict[str, set]:
    """Ids of the people, organisations and bodies a saved protocol already names (``editor_initial``):
    they stay choosable in its editor even when the register no longer places them in the cluster."""
    named = {"people": set(), "organizations": set(), "bodies": set()}
    meeting = initial["meeting"]
    named["people"] |= {meeting.get("chair"), meeting.get("secretary")}
    named["people"] |= {row["person"] for row in initial["attendance"]}
    for item in initial["items"]:
        named["people"] |= {row["person"] for row in item["speakers"]}
        for row in item["decisions"]:
            named["people"] |= set(row.get("responsible_people", []))
            named["organizations"] |= set(row.get("responsible_organizations", []))
            named["bodies"] |= set(row.get("responsible_bodies", []))
    return {key: ids - {None} for key, ids in named.items()}


class EditorChoices:
    """Every list the editor offers, loaded once (one query each): only what belongs to the
    clusters being edited (``cluster_ids``: the meeting's cluster, or for a new protocol the
    clusters the user keeps), plus what the saved protocol already names (``named_on``).
    A posted id outside these lists is refused by the field («Выберите корректный вариант»).

    ``people_search_url`` and ``decision_search_url`` are the search-as-you-type endpoints with the same scope.
    """

    def __init__(self, *, cluster_ids, meeting=None, named=None, people_search_url="/meetings/people/search/",
                 decision_search_url="/meetings/decisions/search/"):
        named = named or {"people": set(), "organizations": set(), "bodies": set()}
        self.people_search_url, self.decision_search_url = people_search_url, decision_search_url
        people = Person.objects.filter(
            Q(pk__in=people_visible_in(cluster_ids).values("pk")) | Q(pk__in=named["people"])
        ).select_related("organization").order_by("last_name", "first_name")
        self.people = [("", "—")] + [(p.pk, person_label(p)) for p in people]
        self.people_ids = [c for c in self.people if c[0] != ""]
        organizations = Organization.objects.filter(
            Q(pk__in=organizations_in(cluster_ids).values("pk")) | Q(pk__in=named["organizations"])
        ).order_by("short_name", "full_name")
        self.organizations = [(o.pk, str(o)) for o in organizations]
        bodies = list(Body.objects.filter(Q(cluster_id__in=cluster_ids) | Q(pk__in=named["bodies"]))
                      .select_related("cluster"))
        self.bodies = [(b.pk, b.label_with_cluster) for b in bodies]
        self.categories = [(c.pk, c.name) for c in AddresseeCategory.objects.filter(cluster_id__in=cluster_ids)
                           .order_by("name")]
        # The plan a decision approves is a plans.WorkPlan, reached through the decision's own
        # foreign key: meetings does not import the app above it.
        plans = Decision._meta.get_field("approves_plan").related_model.objects.filter(cluster_id__in=cluster_ids)
        self.plans = [("", "—")] + [(p.pk, str(p)) for p in plans]
        decisions = (
            Decision.objects.filter(agenda_item__meeting__cluster_id__in=cluster_ids)
            .exclude(agenda_item__meeting=meeting)
            .select_related("agenda_item__meeting__body")
            .prefetch_related("agenda_item__decisions")
        )
        self.decisions = [(d.pk, decision_label(d)) for d in number_decisions(decisions)]


class CapfirstLabels:
    """Model verbose names are lower case; a form label starts with a capital."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)


class MeetingForm(CapfirstLabels, forms.ModelForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A new protocol's form carries a one-time key (``Meeting.creation_key``).
    creation_key = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = [name for name in MEETING_FIELDS if name not in ("chair", "secretary")]
        widgets = {
            "date": DATE,
            "start_time": TIME,
            "end_time": TIME,
            "title": forms.TextInput(),
        }

    def __init__(self, *args, choices: EditorChoices, cluster_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(cluster_id__in=cluster_ids).select_related("cluster")
        self.fields["body"].label_from_instance = lambda body: body.label_with_cluster
        labels = {"chair": Meeting._meta.get_field("chair").verbose_name,
                  "secretary": Meeting._meta.get_field("secretary").verbose_name}
        for name in ("chair", "secretary"):
            self.fields[name] = forms.TypedChoiceField(
                label=capfirst(labels[name]), choices=choices.people, coerce=int, empty_value=None, required=False,
                widget=SearchSelect(choices.people_search_url),
            )
        self.fields["number"].help_text = _("Suggested: the next number of this body in this year; you may change it.")
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("creation_key", uuid.uuid4().hex)
        # Only a coordinating authority's meeting names the clusters that took part.
        self.authority_ids = set(Cluster.objects.filter(pk__in=cluster_ids, kind=ClusterKind.AUTHORITY)
                                 .values_list("pk", flat=True))
        if self.authority_ids:
            self.fields["participating_clusters"] = forms.ModelMultipleChoiceField(
                label=capfirst(Meeting._meta.get_field("participating_clusters").verbose_name),
                queryset=Cluster.objects.filter(kind=ClusterKind.CLUSTER).order_by("name"), required=False,
                widget=forms.SelectMultiple(attrs={"size": 6, "class": "form-select"}),
                help_text=_("For a meeting of the coordinating authority with several clusters."))
        self.fields["attendance_note"].widget.attrs["placeholder"] = "(список прилагается)"
        for name in ("protocol_layout", "decision_numbering", "date_form"):
            self.fields[name].choices = [("", _("As the body sets"))] + [c for c in self.fields[name].choices if c[0]]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The meeting must end after it starts."))
        body, date, number = data.get("body"), data.get("date"), (data.get("number") or "").strip()
        if body and date and number:
            clash = Meeting.objects.filter(body=body, year=date.year, number=number).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("number", _("A meeting with this number already exists for this body in this year."))
        if data.get("participating_clusters") and body and body.cluster_id not in self.authority_ids:
            self.add_error("participating_clusters", _("Only a meeting of a coordinating authority names "
                                                       "participating clusters; a cluster's meeting is its own."))
        total, online = data.get("attendance_total"), data.get("attendance_online")
        if total is not None and online is not None and online > total:
            self.add_error("attendance_online", _("Online attendees cannot outnumber all attendees."))
        return data

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in MEETING_FIELDS}
        for name in ("chair", "secretary"):
            data[name] = Person.objects.get(pk=data[name]) if data[name] else None
        for name in ("number", "title", "city", "place", "attendance_note"):
            data[name] = (data[name] or "").strip()
        if "participating_clusters" in self.fields:
            data["participating_clusters"] = list(self.cleaned_data.get("participating_clusters") or [])
        return data


class RowForm(CapfirstLabels, forms.Form):
    """A formset row: ``id`` of an existing row, its position (set by the page's script)."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    position = forms.IntegerField(widget=forms.HiddenInput(attrs={"class": "row-position"}), required=False)

    def has_changed(self):
        # The script renumbers every row: a position alone does not make a new row "typed in".
        return any(name != "position" for name in self.changed_data)


class PersonRowForm(RowForm):
    """A row naming a person from the register (search as you type) or, failing that, a text line."""

    missing_person_message = ""

    def __init__(self, *args, choices: EditorChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = choices.people
        self.fields["person"].widget = SearchSelect(choices.people_search_url)
        self.fields["person"].widget.choices = self.fields["person"].choices

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name_text") or "").strip():
            raise forms.ValidationError(self.missing_person_message)
        return data


class AttendanceForm(PersonRowForm):
    person = forms.TypedChoiceField(label=_("Person from the register"), coerce=int, empty_value=None, required=False)
    name_text = forms.CharField(label=_("or a free-text line"), required=False)
    position_text = forms.CharField(label=_("position as said"), required=False)
    organization_text = forms.CharField(label=_("organisation as said"), required=False)
    mode = forms.ChoiceField(label=_("mode"), choices=AttendanceMode.choices, initial=AttendanceMode.IN_PERSON)
    invited = forms.BooleanField(label=_("invited guest"), required=False)
    missing_person_message = _("Choose a person or type a line for an unnamed representative.")


class SpeakerForm(PersonRowForm):
    person = forms.TypedChoiceField(label=_("Speaker from the register"), coerce=int, empty_value=None, required=False)
    name_text = forms.CharField(label=_("or the name as said"), required=False, max_length=300)
    position_text = forms.CharField(label=_("position and organisation as said"), required=False, max_length=500,
                                    widget=forms.TextInput(attrs={"placeholder": "начальника Департамента …"}))
    summary = forms.CharField(label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    missing_person_message = _("Choose a person or type the speaker's name.")


class DecisionForm(RowForm):
    """Exactly ``Decision.EDITABLE_FIELDS`` and ``EDITABLE_M2M`` (tests pin it), with the editor's labels."""

    text = forms.CharField(label=_("Decision text"), widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("kind"), choices=DecisionKind.choices, initial=DecisionKind.NOTE)
    vote = forms.ChoiceField(label=_("vote"), choices=Vote.choices, initial=Vote.NONE)
    votes_for = forms.IntegerField(label=_("for"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("against"), min_value=0, required=False)
    votes_abstained = forms.IntegerField(label=_("abstained"), min_value=0, required=False)
    # What the secretary types is ``deadline_text``; the date (and the range start) it names and the form
    # it is written in are derived from it in ``clean`` (``deadline`` and ``deadline_format`` are not on the
    # page; a client that posts a bare ISO ``deadline`` without text is taken at its word).
    deadline_text = forms.CharField(
        label=_("Deadline («Срок»)"), required=False,
        widget=forms.TextInput(attrs={"placeholder": "до 28.05.2021 · 28 мая 2021 г. · в установленные сроки"}),
        help_text=_("As the protocol writes it; a date in it is controlled (reminders, overdue)."))
    deadline = forms.DateField(required=False, widget=forms.HiddenInput)
    deadline_format = forms.ChoiceField(choices=DeadlineFormat.choices, required=False, widget=forms.HiddenInput)
    deadline_time = forms.TimeField(label=_("time (Moscow)"), required=False, widget=TIME)
    deadline_start = forms.DateField(label=_("range starts"), required=False, widget=DATE,
                                     help_text=_("For «с 19 по 20 декабря»."))
    responsible_organizations = forms.TypedMultipleChoiceField(
        label=_("responsible organisations"), coerce=int, required=False,
        widget=forms.SelectMultiple(attrs={"size": 4, "class": "form-select"}))
    responsible_people = forms.TypedMultipleChoiceField(label=_("responsible people"), coerce=int, required=False)
    responsible_bodies = forms.TypedMultipleChoiceField(
        label=_("responsible bodies"), coerce=int, required=False,
        widget=forms.SelectMultiple(attrs={"size": 3, "class": "form-select"}))
    responsible_kinds = forms.MultipleChoiceField(
        label=_("categories of member organisations"), choices=OrganizationKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    responsible_categories = forms.TypedMultipleChoiceField(
        label=_("addressee categories"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Named categories of the cluster («Инициаторам создания …»), printed as written."))
    responsible_text = forms.CharField(
        label=_("«Ответственный:» as written"), required=False, max_length=500,
        help_text=_("When filled, printed instead of the parties above (they still receive the assignments)."))
    approves_plan = forms.TypedChoiceField(label=_("approves the work plan"), coerce=int, empty_value=None,
                                           required=False)
    continues = forms.TypedMultipleChoiceField(label=_("continues earlier decisions"), coerce=int, required=False)
    subpoint = forms.BooleanField(label=_("Sub-point of the decision above"), required=False,
                                  widget=forms.CheckboxInput(attrs={"class": "form-check-input subpoint-flag"}))
    no_item = forms.BooleanField(label=_("Answers no agenda item (one «РЕШИЛИ» block)"), required=False,
                                 widget=forms.CheckboxInput(attrs={"class": "form-check-input no-item-flag"}))

    def __init__(self, *args, choices: EditorChoices, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["responsible_organizations"].choices = choices.organizations
        fields["responsible_bodies"].choices = choices.bodies
        fields["responsible_categories"].choices = choices.categories
        fields["approves_plan"].choices = choices.plans
        fields["responsible_people"].choices = choices.people_ids
        fields["responsible_people"].widget = SearchSelectMultiple(choices.people_search_url)
        fields["continues"].choices = choices.decisions
        fields["continues"].widget = SearchSelectMultiple(choices.decision_search_url)
        for name in ("responsible_people", "continues"):
            fields[name].widget.choices = fields[name].choices

    # How the protocol ends a date in words (« г.», « года»: ``Meeting.date_suffix``); the editor sets it
    # from the protocol's settings before the rows are cleaned.
    date_suffix = ru.date_suffix(ru.DATE_SHORT)

    def _clean_deadline(self, data) -> None:
        """The typed «Срок» → ``deadline`` (the last date it names; with two dates and no range start given,
        the first is the start), ``deadline_format`` (how its first date is written) and ``deadline_text``
        (empty when it reads exactly as the protocol would print the date, in its date form)."""
        text = " ".join((data.get("deadline_text") or "").split())
        data["deadline_format"] = data.get("deadline_format") or DeadlineFormat.WORDS
        if not text:
            data["deadline_text"] = ""
            return
        try:
            dates, written = ru.dates_in(text)
        except ru.NoSuchDate as error:
            self.add_error("deadline_text", _("There is no such date: %(date)s. Check the day and the month.")
                           % {"date": error.fragment})
            return
        data["deadline"] = dates[-1] if dates else None
        if len(dates) > 1 and not data.get("deadline_start"):
            data["deadline_start"] = dates[0]
        data["deadline_format"] = written or DeadlineFormat.WORDS
        printed = ru.format_deadline(date=data["deadline"], time=data.get("deadline_time"),
                                     start=data.get("deadline_start"), numeric=written == DeadlineFormat.NUMERIC,
                                     suffix=self.date_suffix)
        data["deadline_text"] = "" if text == printed or ru.ISO_ONLY.match(text) else text

    def clean(self):
        data = super().clean()
        self._clean_deadline(data)
        deadline, start, time = data.get("deadline"), data.get("deadline_start"), data.get("deadline_time")
        if (start or time) and not deadline and "deadline_text" not in self.errors:
            self.add_error("deadline_text", _("Set the deadline date (the end of the range)."))
        if start and deadline and start > deadline:
            self.add_error("deadline_start", _("The deadline range must end after it starts."))
        if data.get("vote") != Vote.COUNTED:
            data["votes_for"] = data["votes_against"] = data["votes_abstained"] = None
        return data


class ItemForm(RowForm):
    title = forms.CharField(label=_("Agenda item"), widget=forms.Textarea(attrs={"rows": 2}))
    discussion = forms.CharField(label=_("Discussion («ВЫСТУПИЛИ»)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    heard = forms.CharField(label=_("«СЛУШАЛИ» as written"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("A free narrative after the speakers; paragraphs and lists («- », «1) ») are kept."))
    decision_intro = forms.CharField(label=_("Before «РЕШИЛИ:»"), required=False,
                                     widget=forms.TextInput(attrs={"placeholder": "Заслушав выступление …"}))


class ChoiceFormSet(forms.BaseFormSet):
    def __init__(self, *args, choices=None, **kwargs):
        self.choices = choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"choices": self.choices}


AttendanceFormSet = formset_factory(AttendanceForm, formset=ChoiceFormSet, extra=0, can_delete=True)
SpeakerFormSet = formset_factory(SpeakerForm, formset=ChoiceFormSet, extra=0, can_delete=True)
DecisionFormSet = formset_factory(DecisionForm, formset=ChoiceFormSet, extra=0, can_delete=True)
ItemFormSet = formset_factory(ItemForm, extra=0, can_delete=True)


def _position(form) -> int:
    try:
        return int(form["position"].value())
    except (TypeError, ValueError):
        return 10**6


def _kept(formset):
    """Rows that were neither deleted nor left empty, in the order the page put them."""
    rows = []
    for index, form in enumerate(formset.forms):
        if formset._should_delete_form(form) or not form.cleaned_data:
            continue
        rows.append((form.cleaned_data.get("position") or 10**6 + index, index, form))
    return [form for _, _, form in sorted(rows, key=lambda r: (r[0], r[1]))]


class ProtocolEditor:
    """All forms of the editor page, bound or not, and the data the save service takes."""

    def __init__(self, *, data=None, meeting=None, cluster_ids, initial=None, search_urls=None):
        self.meeting, self.cluster_ids = meeting, list(cluster_ids)
        saved = editor_initial(meeting)
        self.choices = EditorChoices(cluster_ids=cluster_ids, meeting=meeting, named=named_on(saved),
                                     **(search_urls or {}))
        initial = initial or saved
        self.meeting_form = MeetingForm(data, instance=meeting or Meeting(), prefix="m", choices=self.choices,
                                        cluster_ids=cluster_ids, initial=initial["meeting"])
        self.attendance = AttendanceFormSet(data, prefix="att", initial=initial["attendance"], choices=self.choices)
        self.items = ItemFormSet(data, prefix="items", initial=initial["items"])
        for index, form in enumerate(self.items.forms):
            rows = initial["items"][index] if data is None and index < len(initial["items"]) else {}
            self._nest(form, data, f"items-{index}", rows)
        # The template for a new item uses its own placeholder, so that the «__prefix__» of the
        # speaker and decision templates nested in it survive cloning the item.
        self.empty_item = ItemForm(prefix="items-__item__", empty_permitted=True, use_required_attribute=False)
        self.items.add_fields(self.empty_item, None)
        if data is not None:
            # A re-rendered page shows the rows in the order the secretary left them.
            for formset in [self.attendance, self.items, *[f for i in self.items.forms for f in (i.speakers, i.decisions)]]:
                formset.forms.sort(key=_position)
        self._nest(self.empty_item, None, "items-__item__", {})

    def _nest(self, form, data, prefix, rows):
        form.speakers = SpeakerFormSet(data, prefix=f"{prefix}-sp", initial=rows.get("speakers", []),
                                       choices=self.choices)
        form.decisions = DecisionFormSet(data, prefix=f"{prefix}-dec", initial=rows.get("decisions", []),
                                         choices=self.choices)

    def _date_suffix(self) -> str:
        """The date ending of the protocol as the bound meeting form sets it (its own, else its body's)."""
        data = getattr(self.meeting_form, "cleaned_data", {})
        body = data.get("body") or (self.meeting.body if self.meeting is not None else None)
        return ru.date_suffix(data.get("date_form") or (body.date_form if body is not None else ""))

    def is_valid(self) -> bool:
        meeting_valid = self.meeting_form.is_valid()
        suffix = self._date_suffix()  # a deadline typed as the protocol prints it is kept as a date
        for item in self.items.forms:
            for form in item.decisions.forms:
                form.date_suffix = suffix
        valid = meeting_valid & self.attendance.is_valid() & self.items.is_valid()
        for form in self.items.forms:
            valid &= form.speakers.is_valid() & form.decisions.is_valid()
        if valid:
            valid = self._check_subpoints()
        if valid:
            valid = self._check_deadlines()
        if valid:
            valid = self._check_one_cluster()
        return valid

    def _check_one_cluster(self) -> bool:
        """A new protocol of a user who keeps several clusters is offered all their registers: what it
        names must still belong to the cluster of the body chosen (a few queries, only in that case)."""
        body = self.meeting_form.cleaned_data.get("body")
        if self.meeting is not None or body is None or len(self.cluster_ids) < 2:
            return True
        named = {"people": [], "organizations": [], "bodies": []}  # (form, field, ids)
        named["people"] += [(self.meeting_form, name, [self.meeting_form.cleaned_data.get(name)])
                            for name in ("chair", "secretary")]
        rows = [*self.attendance.forms, *[f for item in self.items.forms for f in item.speakers.forms]]
        named["people"] += [(form, "person", [getattr(form, "cleaned_data", {}).get("person")]) for form in rows]
        for item in self.items.forms:
            for form in item.decisions.forms:
                data = getattr(form, "cleaned_data", {})
                named["people"].append((form, "responsible_people", data.get("responsible_people") or []))
                named["organizations"].append((form, "responsible_organizations",
                                               data.get("responsible_organizations") or []))
                named["bodies"].append((form, "responsible_bodies", data.get("responsible_bodies") or []))
        in_cluster = {
            "people": people_visible_in([body.cluster_id]), "organizations": organizations_in([body.cluster_id]),
            "bodies": Body.objects.filter(cluster_id=body.cluster_id),
        }
        ok = True
        for kind, uses in named.items():
            ids = {pk for _, _, chosen in uses for pk in chosen if pk}
            allowed = set(in_cluster[kind].filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
            for form, field, chosen in uses:
                if set(chosen) - {None} - allowed:
                    form.add_error(field, _("Choose from the register of the protocol's cluster (%(cluster)s).")
                                   % {"cluster": body.cluster})
                    ok = False
        return ok

    def _check_subpoints(self) -> bool:
        """A sub-point belongs to a decision above it in the same item."""
        ok = True
        for item in _kept_items(self.items):
            kept = _kept(item.decisions)
            if kept and kept[0].cleaned_data.get(Decision.SUBPOINT_FLAG):
                kept[0].add_error(Decision.SUBPOINT_FLAG, _(
                    "The first decision of an item cannot be a sub-point: add the decision it belongs to above it."))
                ok = False
        return ok

    def _check_deadlines(self) -> bool:
        date = self.meeting_form.cleaned_data.get("date")
        ok = True
        for item in self.items.forms:
            for form in item.decisions.forms:
                data = getattr(form, "cleaned_data", {})
                for name, field in (("deadline", "deadline_text"), ("deadline_start", "deadline_start")):
                    if date and data.get(name) and data[name] < date:
                        form.add_error(field, _("The deadline cannot be before the meeting date."))
                        ok = False
        return ok

    def service_kwargs(self) -> dict:
        attendance = [
            {"person_id": f.cleaned_data["person"], **{k: f.cleaned_data[k].strip() if isinstance(f.cleaned_data[k], str)
                                                       else f.cleaned_data[k] for k in
                                                       ("name_text", "position_text", "organization_text", "mode",
                                                        "invited")}}
            for f in _kept(self.attendance)
        ]
        items = []
        for form in _kept_items(self.items):
            data = form.cleaned_data
            items.append({
                "id": data.get("id"), "title": data["title"].strip(), "discussion": data.get("discussion", ""),
                "heard": data.get("heard", ""), "decision_intro": data.get("decision_intro", "").strip(),
                "speakers": [
                    {"person_id": s.cleaned_data["person"], "name_text": s.cleaned_data["name_text"],
                     "position_text": s.cleaned_data["position_text"], "summary": s.cleaned_data["summary"]}
                    for s in _kept(form.speakers)
                ],
                "decisions": [_decision_data(d.cleaned_data) for d in _kept(form.decisions)],
            })
        return {"revision": self.meeting_form.cleaned_data.get("revision"), "data": self.meeting_form.service_data(),
                "attendance": attendance, "items": items,
                "creation_key": self.meeting_form.cleaned_data.get("creation_key") or None}

    def restore_decisions(self, messages: dict[int, str]) -> None:
        """Decisions the save refused to delete come back on the page (with their item, if that was
        removed), each with the reason beside it; saving again keeps them."""
        for item in self.items.forms:
            for form in item.decisions.forms:
                message = messages.get(_row_id(form))
                if message:
                    form.add_error(None, message)
                    for row in (form, item):
                        row.data.pop(row.add_prefix("DELETE"), None)

    @property
    def has_errors(self) -> bool:
        forms_ = [self.meeting_form, *self.attendance.forms, *self.items.forms]
        for item in self.items.forms:
            forms_ += [*item.speakers.forms, *item.decisions.forms]
        return any(f.errors for f in forms_) or bool(self.attendance.non_form_errors())


_kept_items = _kept


def _row_id(form) -> int | None:
    try:
        return int(form["id"].value())
    except (TypeError, ValueError):
        return None


def _decision_data(data) -> dict:
    result = {k: data.get(k) for k in ["id", *Decision.EDITABLE_FIELDS, *Decision.EDITABLE_M2M]}
    result[Decision.SUBPOINT_FLAG] = bool(data.get(Decision.SUBPOINT_FLAG))
    result[Decision.NO_ITEM_FLAG] = bool(data.get(Decision.NO_ITEM_FLAG))
    result["text"] = result["text"].strip()
    return result


def _decision_initial(decision, *, suffix: str) -> dict:
    row = {"id": decision.pk, "position": decision.order, Decision.SUBPOINT_FLAG: decision.parent_id is not None,
           Decision.NO_ITEM_FLAG: not decision.answers_item}
    for name in Decision.EDITABLE_FIELDS:
        row[name] = getattr(decision, Decision._meta.get_field(name).attname)
    # The field the secretary edits shows the deadline as the protocol prints it; saved unchanged, it
    # reads back as the same date, range, time and form.
    row["deadline_text"] = decision.deadline_printed(suffix=suffix)
    for name in Decision.EDITABLE_M2M:
        row[name] = [related.pk for related in getattr(decision, name).all()]
    return row


def editor_initial(meeting) -> dict:
    """Initial rows from a saved meeting (prefetched by ``selectors.protocol_queryset``)."""
    if meeting is None or not meeting.pk:
        return {"meeting": {}, "attendance": [], "items": []}
    return {
        "meeting": {"revision": meeting.revision, "chair": meeting.chair_id, "secretary": meeting.secretary_id,
                    **({"participating_clusters": list(meeting.participating_clusters.all())}
                       if meeting.cluster.is_authority else {})},
        "attendance": [
            {"id": a.pk, "position": n, "person": a.person_id, "name_text": a.name_text,
             "position_text": a.position_text, "organization_text": a.organization_text, "mode": a.mode,
             "invited": a.invited}
            for n, a in enumerate(meeting.attendances.all(), start=1)
        ],
        "items": [
            {"id": item.pk, "position": item.order, "title": item.title, "discussion": item.discussion,
             "heard": item.heard, "decision_intro": item.decision_intro,
             "speakers": [
                 {"position": s.order, "person": s.person_id, "name_text": s.name_text,
                  "position_text": s.position_text, "summary": s.summary}
                 for s in item.speakers.all()],
             "decisions": [_decision_initial(d, suffix=meeting.date_suffix) for d in item.decisions.all()],
             }
            for item in meeting.agenda_items.all()
        ],
    }


def people_matching(query: str, *, cluster_ids, limit: int = 20):
    """Register search for the editor, in the people of ``cluster_ids`` only (``people_visible_in``).
    SQLite's LIKE folds only ASCII case: try the capitalised form too."""
    query = (query or "").strip()
    if not query:
        return Person.objects.none()
    condition = Q()
    for variant in {query, query.capitalize(), query.lower()}:
        condition |= Q(last_name__contains=variant) | Q(first_name__contains=variant) | Q(position__contains=variant)
        condition |= Q(organization__short_name__contains=variant)
    people = people_visible_in(cluster_ids).filter(condition)
    return people.select_related("organization").order_by("last_name", "first_name", "pk")[:limit]


class PersonCreateForm(CapfirstLabels, forms.Form):
    last_name = forms.CharField(label=_("surname"), max_length=100)
    first_name = forms.CharField(label=_("first name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("patronymic"), max_length=100, required=False)
    position = forms.CharField(label=_("position"), max_length=300, required=False)
    # Required, as in the register: a person belongs to a cluster through their organisation.
    organization = forms.ModelChoiceField(label=_("organisation"), queryset=Organization.objects.none())

    def __init__(self, *args, cluster_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_in(cluster_ids).order_by("short_name", "full_name")
