"""Meetings and their protocols: attendance, agenda, decisions, assignments, signed PDFs.

Numbers that a protocol prints («1.», «1.1.») are derived from ``order`` fields and
never typed. Multi-step writes (fanning a decision out into assignments, approving,
signing) live in ``meetings/services.py``.
"""

import contextlib
import contextvars
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import ru
from core.errors import DomainError
from members.models import (
    AgendaNumbering,
    DateForm,
    DecisionNumbering,
    OrganizationKind,
    ProtocolLayout,
    SignatoriesStyle,
    SignatoryRow,
)


class MeetingKind(models.TextChoices):
    COUNCIL = "council", _("Meeting of the coordination council")
    CLUSTER = "cluster", _("Meeting of the cluster")
    PRESIDIUM = "presidium", _("Meeting of the presidium")
    WORKING_GROUP = "working_group", _("Meeting of the working group")
    CONFERENCE_CALL = "conference_call", _("Conference call")


# The protocol title names the kind of meeting in the genitive.
MEETING_KIND_GENITIVE = {
    MeetingKind.COUNCIL: "заседания Координационного совета",
    MeetingKind.CLUSTER: "заседания",
    MeetingKind.PRESIDIUM: "заседания президиума Координационного совета",
    MeetingKind.WORKING_GROUP: "заседания рабочей группы",
    MeetingKind.CONFERENCE_CALL: "совещания в режиме видео-конференц-связи",
}


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online (video conference)")
    HYBRID = "hybrid", _("Hybrid")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ON_APPROVAL = "on_approval", _("On approval")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")


# What members may read: approved and signed protocols.
PUBLISHED_STATUSES = [MeetingStatus.APPROVED, MeetingStatus.SIGNED]


class ChairTitle(models.TextChoices):
    CHAIR = "chair", _("Chair")  # «Председатель»
    PRESIDING = "presiding", _("Presiding")  # «Председательствующий»


# ---------------------------------------------------------------- the signed-protocol lock
#
# A signed protocol is final: below every view, the models refuse any write to a signed
# meeting and to its attendance, agenda, speakers and decisions (save, delete and queryset
# update/delete alike). Only a correction (documents.services.protocol_correction_start)
# reopens it, inside ``signed_protocol_unlocked()``; the corrected version is then signed anew.

_unlocked = contextvars.ContextVar("signed_protocol_unlocked", default=False)


@contextlib.contextmanager
def signed_protocol_unlocked():
    token = _unlocked.set(True)
    try:
        yield
    finally:
        _unlocked.reset(token)


class SignedProtocolLocked(DomainError):
    """A write to a signed protocol outside a correction."""


def refuse_if_signed(meetings: models.QuerySet) -> None:
    """Raise when any of ``meetings`` is signed (and no correction is under way)."""
    if not _unlocked.get() and meetings.filter(status=MeetingStatus.SIGNED).exists():
        raise SignedProtocolLocked(_("The protocol is signed and cannot be changed: start a correction to make a new version."))


class ProtocolPartQuerySet(models.QuerySet):
    """Bulk writes to rows of a signed protocol are refused as single saves are."""

    def _meetings(self):
        return Meeting.objects.filter(**{f"{self.model.MEETING_PATH}__in": self.values("pk")})

    def update(self, **kwargs):
        refuse_if_signed(self._meetings())
        return super().update(**kwargs)

    def delete(self):
        refuse_if_signed(self._meetings())
        return super().delete()


class ProtocolPart(models.Model):
    """A row printed in the protocol: refuses writes while its meeting is signed."""

    MEETING_PATH = ""  # from Meeting to this model, e.g. "agenda_items__decisions"
    OWNER_FIELD = ""  # the foreign key that places the row in a meeting (meeting or agenda_item)

    objects = ProtocolPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def _meetings_touched(self):
        owner = getattr(self, f"{self.OWNER_FIELD}_id")
        via_owner = {"meeting": Q(pk=owner), "agenda_item": Q(agenda_items=owner)}[self.OWNER_FIELD]
        if self.pk:  # the meeting it is in now, too (moving a row out of a signed protocol is a change)
            via_owner |= Q(**{self.MEETING_PATH: self.pk})
        return Meeting.objects.filter(via_owner)

    def save(self, *args, **kwargs):
        refuse_if_signed(self._meetings_touched())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_signed(self._meetings_touched())
        return super().delete(*args, **kwargs)


class MeetingQuerySet(models.QuerySet):
    def published(self):
        """What members may read: approved and signed protocols."""
        return self.filter(status__in=PUBLISHED_STATUSES)

    def update(self, **kwargs):
        refuse_if_signed(self)
        return super().update(**kwargs)

    def delete(self):
        refuse_if_signed(self)
        return super().delete()



def cite_protocol(protocol_number: str, numbered: str, numberless: str, /, **values) -> str:
    """The one rule for citing a protocol: «№ …» only when it has a number (the 20.11.2017 seed protocol
    has none). ``numbered`` and ``numberless`` are translated patterns; the number fills ``%(number)s``
    or ``%(meeting_number)s``, ``values`` the rest."""
    if protocol_number:
        return numbered % {"number": protocol_number, "meeting_number": protocol_number, **values}
    return numberless % values


def protocol_short_label(number: str, date) -> str:
    """``Meeting.short_label`` from its number and date (the task list prints it from a row of values)."""
    return cite_protocol(number, gettext("minutes No. %(number)s of %(date)s"), gettext("minutes of %(date)s"),
                         date=ru.ru_date_numeric(date))


def protocol_title(number: str, date) -> str:
    """``str(meeting)`` from its number and date: «Протокол № 2 от 30 марта 2023 г.» (in the UI's language)."""
    if number:
        return gettext("Minutes No. %(number)s of %(date)s") % {"number": number, "date": ru.ui_date(date)}
    return gettext("Minutes of %(date)s") % {"date": ru.ui_date(date)}


def agenda_number(numbering: str, order: int) -> str:
    """An agenda item's number as its body numbers them: «II» or «2»."""
    return ru.roman(order) if numbering == AgendaNumbering.ROMAN else str(order)


class Meeting(models.Model):
    cluster = models.ForeignKey(
        "members.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="meetings"
    )
    body = models.ForeignKey("members.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings")
    # A meeting of a coordinating authority (``ClusterKind.AUTHORITY``: a ministry department) with many
    # clusters is entered under the authority, naming the clusters that took part (none for a cluster's own).
    participating_clusters = models.ManyToManyField(
        "members.Cluster", verbose_name=_("participating clusters"), blank=True, related_name="joint_meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.COUNCIL)
    title = models.CharField(
        _("title"),
        max_length=500,
        blank=True,
        help_text=_("The kind of meeting in the genitive as the protocol prints it; empty means derived from the kind."),
    )
    number = models.CharField(_("number"), max_length=50, blank=True)
    date = models.DateField(_("date"))
    # Derived from ``date``: the number is unique per body and calendar year.
    year = models.PositiveSmallIntegerField(_("year"), editable=False, db_index=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    format = models.CharField(_("format"), max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON)
    chair = models.ForeignKey(
        "members.Person", verbose_name=_("chair"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chair_title = models.CharField(_("chair's title"), max_length=10, choices=ChairTitle.choices, default=ChairTitle.CHAIR)
    secretary = models.ForeignKey(
        "members.Person", verbose_name=_("secretary"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT)
    # «Присутствовали: 17 чел. (приложение), в том числе в режиме ВКС - 2 чел.»
    attendance_total = models.PositiveIntegerField(_("attendees in total"), null=True, blank=True)
    attendance_online = models.PositiveIntegerField(_("of them online"), null=True, blank=True)
    attendance_note = models.CharField(_("attendance note"), max_length=200, blank=True)
    # The body's settings, overridable per protocol: empty / None means the body's.
    protocol_layout = models.CharField(
        _("protocol layout"), max_length=20, choices=ProtocolLayout.choices, blank=True,
        help_text=_("Empty means the body's layout."),
    )
    decision_numbering = models.CharField(
        _("decision numbers"), max_length=20, choices=DecisionNumbering.choices, blank=True,
        help_text=_("Empty means the body's setting."),
    )
    # «30 марта 2023 г.» or «30 марта 2023 года» in the heading and the deadlines in words; fixed at approval.
    date_form = models.CharField(
        _("date form"), max_length=10, choices=DateForm.choices, blank=True,
        help_text=_("Empty means the body's setting."),
    )
    # How «Присутствовали» is laid out in this protocol (issue 12): numbered «1. …», grouped by
    # organisation «от ФГБОУ ДПО «…»: Бондарь О.А., Соколов А.С.», and above which head count the list
    # goes to the appendix (empty: the body's setting, else the portal's).
    attendance_numbered = models.BooleanField(_("numbered attendance list"), default=False)
    attendance_grouped = models.BooleanField(_("attendees grouped by organisation"), default=False)
    attendance_limit = models.PositiveSmallIntegerField(
        _("attendance list limit of this protocol"),
        null=True,
        blank=True,
        help_text=_("Above this many attendees the list goes to the appendix; empty means the body's setting."),
    )
    # Optimistic locking: every save through the editor bumps it; a stale form is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("sent for approval at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(_("chair's comment"), blank=True)
    # Who signs this protocol: empty means as its body's setting says (``meetings.protocol.signatories``).
    signatories = models.CharField(_("who signs the protocol"), max_length=20, choices=SignatoriesStyle.choices,
                                   blank=True, default="")
    # The one-time key of the editor form that created the protocol: the same form sent again (a double
    # click, the browser's back button) finds this protocol instead of making a second one.
    creation_key = models.CharField(max_length=32, null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at", "creation_key"])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["cluster", "-date"]),
            models.Index(fields=["cluster", "status", "-date"]),
            models.Index(fields=["body", "year"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"],
                condition=~Q(number=""),
                name="meeting_number_unique_per_body_year",
                violation_error_message=_("A meeting with this number already exists for this body in this year."),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True) | Q(end_time__isnull=True) | Q(end_time__gt=models.F("start_time")),
                name="meeting_end_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(attendance_online__isnull=True)
                | Q(attendance_total__isnull=True)
                | Q(attendance_online__lte=models.F("attendance_total")),
                name="meeting_online_within_total",
                violation_error_message=_("Online attendees cannot outnumber all attendees."),
            ),
        ]

    def __str__(self):
        return protocol_title(self.number, self.date)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_cluster_id = instance.__dict__.get("cluster_id")
        return instance

    def save(self, *args, **kwargs):
        if self.pk:
            refuse_if_signed(Meeting.objects.filter(pk=self.pk))
        self.year = self.date.year
        if self.status in PUBLISHED_STATUSES and not self.date_form:
            # Fixed at approval: the body's date form may change later, this protocol's printed dates stay.
            self.date_form = self.body.date_form
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "date_form"}
        super().save(*args, **kwargs)
        loaded = getattr(self, "_loaded_cluster_id", None)
        if loaded is not None and loaded != self.cluster_id:
            # Decisions and assignments store their meeting's cluster (``Decision.cluster``): follow it.
            Decision.objects.filter(agenda_item__meeting=self).update(cluster_id=self.cluster_id)
            Assignment.objects.filter(decision__agenda_item__meeting=self).update(cluster_id=self.cluster_id)
        self._loaded_cluster_id = self.cluster_id

    def delete(self, *args, **kwargs):
        refuse_if_signed(Meeting.objects.filter(pk=self.pk))
        return super().delete(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.date:
            self.year = self.date.year

    @property
    def display_title(self) -> str:
        return self.title or MEETING_KIND_GENITIVE.get(self.kind, "заседания")

    @property
    def list_title(self) -> str:
        """The title lists show: as typed, else the protocol's own words, or the kind in the English UI."""
        if self.title or not ru.english_ui():
            return self.display_title
        return str(self.get_kind_display())

    @property
    def short_label(self) -> str:
        """«протокол № 2 от 30.03.2023», as assignment lists cite the protocol (in the UI's language)."""
        return protocol_short_label(self.number, self.date)

    @property
    def is_editable(self) -> bool:
        return self.status == MeetingStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATUSES

    @property
    def layout(self) -> str:
        """The protocol's layout (``ProtocolLayout``): its own, else its body's."""
        return self.protocol_layout or self.body.protocol_layout

    @property
    def numbering(self) -> str:
        """How the protocol numbers decisions (``DecisionNumbering``): its own setting, else its body's."""
        return self.decision_numbering or self.body.decision_numbering

    @property
    def dates_form(self) -> str:
        """How the protocol writes a date in words (``DateForm``): its own setting, else its body's."""
        return self.date_form or self.body.date_form

    @property
    def date_suffix(self) -> str:
        """« г.» or « года»: the ending of a date in words in this protocol."""
        return ru.date_suffix(self.dates_form)

    @property
    def numbers_decisions(self) -> bool:
        """Whether the protocol prints decision numbers at all."""
        return self.numbering != DecisionNumbering.NONE

    def agenda_number(self, order: int) -> str:
        return agenda_number(self.body.agenda_numbering, order)


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online (VKS)")


class Attendance(ProtocolPart):
    """«Присутствовали»: a person from the register or a free-text line."""

    MEETING_PATH, OWNER_FIELD = "attendances", "meeting"

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="attendances"
    )
    name_text = models.TextField(
        _("free-text line"),
        blank=True,
        help_text=_("For an unnamed representative: «Представитель Департамента …»."),
    )
    position_text = models.TextField(
        _("position as said"), blank=True, help_text=_("Overrides the position from the register.")
    )
    organization_text = models.TextField(
        _("organisation as said"), blank=True, help_text=_("Overrides the organisation from the register.")
    )
    mode = models.CharField(_("mode"), max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.IN_PERSON)
    invited = models.BooleanField(_("invited guest"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "invited", "mode", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name_text=""),
                name="attendance_person_or_text",
                violation_error_message=_("Choose a person or type a line for an unnamed representative."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="attendance_person_once",
                violation_error_message=_("This person is already in the attendance list."),
            ),
        ]

    def __str__(self):
        return self.line

    @property
    def organization_name(self) -> str:
        """The organisation the row is printed under: as said, else the person's from the register."""
        if self.organization_text:
            return self.organization_text
        return str(self.person.organization) if self.person_id and self.person.organization_id else ""

    @property
    def line(self) -> str:
        """«Чуранов Василий Сергеевич, директор по развитию ООО «Твинс технологии»»: the name, the position
        and the organisation; for a person from the register what is typed overrides the register
        (a position typed alone stands for «position and organisation» as said)."""
        if not self.person_id:
            parts = (self.name_text, self.position_text, self.organization_text)
        elif self.organization_text:
            parts = (self.person.full_name, self.position_text or self.person.position, self.organization_text)
        else:
            parts = (self.person.full_name, self.position_text or self.person.position_and_organization)
        return ", ".join(p.strip() for p in parts if p and p.strip())

    @property
    def short_name(self) -> str:
        """In a list grouped by organisation: «Бондарь О.А.», with a typed position in brackets."""
        name = self.person.surname_initials if self.person_id else self.name_text.strip()
        return f"{name} ({self.position_text.strip()})" if self.position_text.strip() else name


class AgendaItem(ProtocolPart):
    MEETING_PATH, OWNER_FIELD = "agenda_items", "meeting"
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField(_("order"))
    title = models.TextField(_("title"))
    discussion = models.TextField(_("discussion («ВЫСТУПИЛИ»)"), blank=True)
    heard = models.TextField(
        _("heard («СЛУШАЛИ») as written"), blank=True,
        help_text=_("A free narrative printed under «СЛУШАЛИ» after the speakers; paragraphs and lists are kept."),
    )
    decision_intro = models.TextField(
        _("introductory phrase before «РЕШИЛИ»"), blank=True,
        help_text=_("«Заслушав выступление …, обсудив …»: printed before «РЕШИЛИ:»."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="agenda_item_order_unique",
                violation_error_message=_("Two agenda items cannot share a position."),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title[:80]}"

    @property
    def number(self) -> str:
        return self.meeting.agenda_number(self.order)


class Speaker(ProtocolPart):
    """«СЛУШАЛИ»: who reported on an item, with position and organisation as said."""

    MEETING_PATH, OWNER_FIELD = "agenda_items__speakers", "agenda_item"

    agenda_item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="speakers")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="speeches"
    )
    name_text = models.CharField(_("name as said"), max_length=300, blank=True)
    position_text = models.CharField(
        _("position as said"), max_length=500, blank=True, help_text=_("«начальника Департамента цифрового развития …»")
    )
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["agenda_item", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(name_text=""),
                name="speaker_person_or_text",
                violation_error_message=_("Choose a person or type the speaker's name."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_text or (self.person.initials_surname if self.person_id else "")

    @property
    def line(self) -> str:
        """«А.Н. Рудометкина, начальника Департамента цифрового развития Смоленской области»."""
        position = self.position_text or (self.person.position_and_organization if self.person_id else "")
        return ", ".join(p for p in (self.name, position) if p)


class DecisionKind(models.TextChoices):
    NOTE = "note", _("Take note")  # принять к сведению
    APPROVE = "approve", _("Endorse")  # одобрить
    ADOPT = "adopt", _("Adopt")  # утвердить
    RECOMMEND = "recommend", _("Recommend")  # рекомендовать
    ASSIGN = "assign", _("Assign")  # поручить
    OTHER = "other", _("Other")


class Vote(models.TextChoices):
    NONE = "none", _("No vote recorded")
    UNANIMOUS = "unanimous", _("Unanimously")
    COUNTED = "counted", _("Counted")


# A deadline given as a date alone passes when its day ends.
END_OF_DAY = datetime.time(23, 59, 59)


class DeadlineMixin(models.Model):
    """A deadline as protocols write it: a date, a date with a time (Moscow), or a range."""

    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_time = models.TimeField(_("deadline time (Moscow)"), null=True, blank=True)
    deadline_start = models.DateField(_("deadline range start"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def deadline_display(self) -> str:
        return ru.format_deadline(date=self.deadline, time=self.deadline_time, start=self.deadline_start)

    @property
    def deadline_at(self) -> datetime.datetime | None:
        """The moment the deadline passes, Moscow time: the given time of day, else the end of the day.
        (A range «с 19 по 20 декабря» passes at the end of its last day.)"""
        if not self.deadline:
            return None
        moment = datetime.datetime.combine(self.deadline, self.deadline_time or END_OF_DAY)
        return timezone.make_aware(moment, timezone.get_default_timezone())


def deadline_passed_q(now: datetime.datetime | None = None, local_moment: tuple | None = None) -> Q:
    """SQL for ``deadline_at < now`` over ``deadline`` and ``deadline_time`` of ``DeadlineMixin``.

    The same comparison as ``DeadlineMixin.deadline_at``: a day before today has passed; on
    the deadline day a given time of day («до 12:00») has passed once the clock is past it,
    a deadline without a time only after ``END_OF_DAY``. No deadline never passes.
    """
    today, clock, after_end_of_day = local_moment or _local_moment(now)
    passed = Q(deadline__lt=today) | Q(deadline=today, deadline_time__lt=clock)
    if after_end_of_day:
        passed |= Q(deadline=today, deadline_time__isnull=True)
    return passed


def local_moment(now: datetime.datetime | None = None) -> tuple[datetime.date, datetime.time, bool]:
    """``now`` in Moscow time as ``deadline_passed_q`` compares it: the day, the time of day, and
    whether that is past ``END_OF_DAY`` (a deadline without a time has passed too). A prepared query
    (``core.prepared``) passes the first two as placeholders and keeps one SQL per third."""
    local = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    clock = local.time().replace(tzinfo=None)
    return local.date(), clock, clock > END_OF_DAY


_local_moment = local_moment


def _cached(instance, name: str) -> bool:
    return instance._meta.get_field(name).is_cached(instance)


def _fk_id(instance, name: str):
    """The foreign key's value, also when the related object was saved after being assigned."""
    return getattr(instance, name).pk if _cached(instance, name) else getattr(instance, f"{name}_id")


class DecisionQuerySet(ProtocolPartQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Fills the stored ``cluster`` of decisions made without ``save()`` (one query)."""
        objs = list(objs)
        for decision in objs:
            if decision.cluster_id is None and _cached(decision, "agenda_item") and _cached(decision.agenda_item, "meeting"):
                decision.cluster_id = decision.agenda_item.meeting.cluster_id
        missing = {_fk_id(d, "agenda_item") for d in objs if d.cluster_id is None}
        if missing:
            clusters = dict(AgendaItem.objects.filter(pk__in=missing).values_list("pk", "meeting__cluster_id"))
            for decision in objs:
                if decision.cluster_id is None:
                    decision.cluster_id = clusters.get(_fk_id(decision, "agenda_item"))
        return super().bulk_create(objs, *args, **kwargs)


class DeadlineFormat(models.TextChoices):
    WORDS = ru.WORDS, _("28 May 2021 (words)")  # «28 мая 2021 г.»
    NUMERIC = ru.NUMERIC, _("28.05.2021 (numeric)")


class Decision(ProtocolPart, DeadlineMixin):
    MEETING_PATH, OWNER_FIELD = "agenda_items__decisions", "agenda_item"
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE, related_name="decisions"
    )
    # The meeting's cluster, stored so that lists filter and count by it without three joins.
    # Derived, never typed: ``save()`` and ``bulk_create()`` set it, ``Meeting.save()`` keeps it.
    cluster = models.ForeignKey(
        "members.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    # The position among all decisions of the item (sub-points included): a sub-point follows its parent.
    order = models.PositiveIntegerField(_("order"))
    # «2. Инициаторам …: 2.1. …; 2.2. …»: a sub-point of a decision of the same item, with its own
    # deadline and responsible parties. One level; the save service keeps it consistent.
    parent = models.ForeignKey(
        "self", verbose_name=_("sub-point of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="subpoints"
    )
    text = models.TextField(_("text"))
    # In the one «РЕШИЛИ» block a decision may answer no agenda item («Следующее заседание провести …»):
    # it is then stored under an item (where the editor has it, usually the last) with this flag off,
    # printed in the block at its place and left out of that item's extract and the item's citation.
    answers_item = models.BooleanField(
        _("answers its agenda item"), default=True,
        help_text=_("Off for a decision of the one «РЕШИЛИ» block that answers no agenda item."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DecisionKind.choices, default=DecisionKind.NOTE)
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices, default=Vote.NONE)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstained = models.PositiveIntegerField(_("abstained"), null=True, blank=True)
    # «Срок:» as typed: words («в установленные сроки», «постоянно», «ежеквартально до 5 числа») or a
    # date written otherwise than the protocol would print it («28.05.2021»). Printed as written; the date
    # in it, if any, is ``deadline`` (reminders and overdue follow it). Empty: printed from ``deadline``
    # in ``deadline_format``.
    deadline_text = models.TextField(_("deadline as written"), blank=True)
    deadline_format = models.CharField(
        _("deadline format"), max_length=10, choices=DeadlineFormat.choices, default=DeadlineFormat.WORDS
    )
    responsible_organizations = models.ManyToManyField(
        "members.Organization", verbose_name=_("responsible organisations"), blank=True, related_name="decisions"
    )
    responsible_people = models.ManyToManyField(
        "members.Person", verbose_name=_("responsible people"), blank=True, related_name="decisions"
    )
    responsible_bodies = models.ManyToManyField(
        "members.Body", verbose_name=_("responsible bodies"), blank=True, related_name="decisions"
    )
    # A decision addressed to a category («руководителям образовательных организаций …»)
    # fans out to every member organisation of these kinds (OrganizationKind values).
    responsible_kinds = models.JSONField(_("responsible categories"), default=list, blank=True)
    # Named categories of the cluster («Инициаторам создания …»): printed by name, fanned out to what they cover.
    responsible_categories = models.ManyToManyField(
        "members.AddresseeCategory", verbose_name=_("addressee categories"), blank=True, related_name="decisions"
    )
    responsible_text = models.CharField(
        _("responsible as written"),
        max_length=500,
        blank=True,
        help_text=_("Printed after «Ответственный:»; empty means the list of responsible parties."),
    )
    approves_plan = models.ForeignKey(
        "plans.WorkPlan",
        verbose_name=_("approves plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approving_decisions",
    )
    continues = models.ManyToManyField(
        "self", verbose_name=_("continues decisions"), blank=True, symmetrical=False, related_name="continued_by"
    )
    history = HistoricalRecords(
        m2m_fields=[responsible_organizations, responsible_people, responsible_bodies], excluded_fields=["cluster"]
    )

    objects = DecisionQuerySet.as_manager()

    # What the protocol editor edits on a decision, listed once: the editor's form, its initial data
    # and the save service (``meetings.services.meeting_save_protocol``) all go by these names.
    EDITABLE_FIELDS = [
        "text", "kind", "vote", "votes_for", "votes_against", "votes_abstained", "deadline", "deadline_time",
        "deadline_start", "deadline_text", "deadline_format", "responsible_kinds", "responsible_text", "approves_plan",
    ]
    # Not a field of the row: the editor's «sub-point of the decision above», turned into ``parent`` on save.
    SUBPOINT_FLAG = "subpoint"
    # Not a field either: the editor's «не относится к вопросу повестки», stored as ``answers_item`` off.
    NO_ITEM_FLAG = "no_item"
    EDITABLE_M2M = ["responsible_organizations", "responsible_people", "responsible_bodies", "responsible_categories",
                    "continues"]

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["agenda_item", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "order"],
                name="decision_order_unique",
                violation_error_message=_("Two decisions of an item cannot share a position."),
            ),
            models.CheckConstraint(
                condition=Q(deadline_start__isnull=True) | Q(deadline__gte=models.F("deadline_start")),
                name="decision_deadline_range_ordered",
                violation_error_message=_("The deadline range must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(vote="counted") | Q(votes_for__isnull=True, votes_against__isnull=True, votes_abstained__isnull=True),
                name="decision_counts_only_when_counted",
                violation_error_message=_("Vote counts are only recorded for a counted vote."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_agenda_item_id = instance.__dict__.get("agenda_item_id")
        return instance

    def save(self, *args, **kwargs):
        before = self.cluster_id
        if before is None or self.agenda_item_id != getattr(self, "_loaded_agenda_item_id", None):
            self.cluster_id = self.agenda_item.meeting.cluster_id
        super().save(*args, **kwargs)
        self._loaded_agenda_item_id = self.agenda_item_id
        if before is not None and before != self.cluster_id:  # moved to another cluster's meeting
            Assignment.objects.filter(decision=self).update(cluster_id=self.cluster_id)

    @property
    def number(self) -> str:
        """«1.1», «III.2.1», or «2» for the single decision of item 2; «3» for the third decision of a
        protocol with one «РЕШИЛИ» block (``decision_numbers``, the rule the protocol prints by).

        Uses the item's prefetched ``decisions`` when present; lists that show many
        decisions must prefetch ``agenda_item__decisions`` (and ``agenda_item__meeting__body``).
        A protocol with one «РЕШИЛИ» block needs its other items too: loaded with the meeting
        (``agenda_items`` prefetched), or for a list in one query by ``number_decisions``, else a query.
        """
        item = self.agenda_item
        meeting = item.meeting
        fallback = (f"{item.number}.{self.order}", False)  # a decision not (yet) among the loaded ones
        if meeting.layout != ProtocolLayout.SINGLE_BLOCK:
            return decision_numbers(meeting, [item]).get(self.pk, fallback)[0]
        items = getattr(meeting, "_prefetched_objects_cache", {}).get("agenda_items")
        if items is not None:  # the protocol page and the editor have the whole protocol loaded
            return decision_numbers(meeting, list(items)).get(self.pk, fallback)[0]
        tops = getattr(self, "_block_tops", None)  # set for a whole list by ``number_decisions``
        if tops is None:
            tops = _block_tops([meeting.pk])[meeting.pk]
        top = self.parent_id or self.pk
        number = str(tops.index(top) + 1) if top in tops else "?"
        if self.parent_id is None:
            return number
        subs = [d.pk for d in item.decisions.all() if d.parent_id == self.parent_id]
        return f"{number}.{subs.index(self.pk) + 1}" if self.pk in subs else number

    @property
    def citation(self) -> str:
        """How lists, titles and calendars cite the decision outside its protocol: its number, or, where
        numbers restart in every item (``PER_ITEM``), the item too («вопрос 1, п. 7»), since «7» alone
        names a decision of every item."""
        meeting = self.agenda_item.meeting
        if meeting.numbering == DecisionNumbering.PER_ITEM and meeting.layout != ProtocolLayout.SINGLE_BLOCK:
            return gettext("item %(item)s, point %(number)s") % {"item": self.agenda_item.number, "number": self.number}
        return self.number

    @property
    def deadline_display(self) -> str:
        """«Срок:» as the protocol prints it: the text as written, else the date in the chosen form, a date
        in words ending as its protocol's date form says where the meeting is loaded (never a query)."""
        return self.deadline_printed(suffix=self._loaded_date_suffix())

    def deadline_printed(self, *, suffix: str) -> str:
        """«Срок:» with a date in words ending in ``suffix`` (« г.», « года»: ``Meeting.date_suffix``)."""
        if self.deadline_text:
            return self.deadline_text
        return ru.format_deadline(date=self.deadline, time=self.deadline_time, start=self.deadline_start,
                                  numeric=self.deadline_format == DeadlineFormat.NUMERIC, suffix=suffix)

    def _loaded_date_suffix(self) -> str:
        """The protocol's date ending when its meeting (and, where the meeting follows it, the body) is
        already loaded; else the portal's default form."""
        if Decision.agenda_item.is_cached(self) and AgendaItem.meeting.is_cached(self.agenda_item):
            meeting = self.agenda_item.meeting
            if meeting.date_form or Meeting.body.is_cached(meeting):
                return meeting.date_suffix
        return ru.date_suffix(DateForm.SHORT)

    @property
    def has_deadline(self) -> bool:
        return bool(self.deadline or self.deadline_text)

    @property
    def vote_display(self) -> str:
        if self.vote == Vote.UNANIMOUS:
            return "единогласно"
        if self.vote == Vote.COUNTED:
            return f"«за» — {self.votes_for or 0}, «против» — {self.votes_against or 0}, «воздержались» — {self.votes_abstained or 0}"
        return ""

    @property
    def responsible_kinds_display(self) -> list[str]:
        labels = dict(OrganizationKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.responsible_kinds]


def decision_numbers(meeting: Meeting, items) -> dict[int, tuple[str, bool]]:
    """The one numbering rule of decisions: ``{pk: (number, printed)}`` for the decisions of ``items``
    (agenda items of ``meeting`` in order, with prefetched ``decisions``).

    With the item's number (``DecisionNumbering.HIERARCHICAL``, also in the «Заслушав» and «Вопрос №»
    layouts) the decisions of item 2 are «2.1», «2.2»; restarting in each item (``PER_ITEM``, the 2017
    seed protocol) they are «1», «2» under every item. The single decision of an item prints without a
    number, as the seed protocols do; it is cited by the item's number («2»), or as «1» when numbering
    restarts in each item. With one «РЕШИЛИ» block
    (``items`` must then be all the items) decisions run 1, 2, 3 through the protocol in either numbered
    style. A sub-point is its decision's number and its place: «2.1», «III.2.1». ``printed`` is False
    for a lone decision and for every decision when the protocol prints no numbers (``NONE``).
    """
    single = meeting.layout == ProtocolLayout.SINGLE_BLOCK
    style = meeting.numbering
    numbered = style != DecisionNumbering.NONE
    restart = style == DecisionNumbering.PER_ITEM
    split = [(item, *_split_subpoints(list(item.decisions.all()))) for item in items]
    tops_in_protocol = sum(len(tops) for _, tops, _ in split)
    result: dict[int, tuple[str, bool]] = {}
    running = 0
    for item, tops, subs in split:
        for k, decision in enumerate(tops, start=1):
            if single:
                running += 1
                number, alone = str(running), tops_in_protocol == 1
            elif restart:
                number, alone = str(k), len(tops) == 1
            elif len(tops) == 1:
                number, alone = item.number, True
            else:
                number, alone = f"{item.number}.{k}", False
            result[decision.pk] = (number, numbered and not alone)
            for j, sub in enumerate(subs.get(decision.pk, ()), start=1):
                result[sub.pk] = (f"{number}.{j}", numbered)
    return result


def _split_subpoints(rows: list) -> tuple[list, dict[int, list]]:
    """One pass over an item's decisions (in order): the top-level ones, and the sub-points by their
    parent's pk (a parent outside ``rows`` makes the row a top-level one)."""
    pks = {d.pk for d in rows}
    tops, subs = [], {}
    for d in rows:
        if d.parent_id is not None and d.parent_id in pks:
            subs.setdefault(d.parent_id, []).append(d)
        else:
            tops.append(d)
    return tops, subs


def _block_tops(meeting_ids) -> dict[int, list[int]]:
    """The top-level decisions (no sub-points) of one-block protocols, in protocol order, by meeting."""
    tops: dict[int, list[int]] = {pk: [] for pk in meeting_ids}
    rows = Decision.objects.filter(agenda_item__meeting_id__in=tops, parent__isnull=True) \
        .order_by("agenda_item__meeting_id", "agenda_item__order", "order").values_list("pk", "agenda_item__meeting_id")
    for pk, meeting_id in rows:
        tops[meeting_id].append(pk)
    return tops


def number_decisions(decisions):
    """``decisions`` (a list, loaded with ``agenda_item__meeting__body`` and ``agenda_item__decisions``) ready
    to tell their ``number`` without a query each: one query for those of one-block protocols, none otherwise."""
    decisions = list(decisions)
    single = {d.agenda_item.meeting_id for d in decisions if d.agenda_item.meeting.layout == ProtocolLayout.SINGLE_BLOCK}
    if single:
        tops = _block_tops(single)
        for decision in decisions:
            if decision.agenda_item.meeting_id in single:
                decision._block_tops = tops[decision.agenda_item.meeting_id]
    return decisions


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ASSIGNMENT_STATUSES = [
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.IN_PROGRESS,
    AssignmentStatus.RETURNED,
]


def open_q() -> Q:
    """Still to be done by the responsible party: assigned, in progress or returned."""
    return Q(status__in=OPEN_ASSIGNMENT_STATUSES)


def overdue_q(now: datetime.datetime | None = None, local_moment: tuple | None = None) -> Q:
    """*Overdue*, the one definition (computed, never stored): open and its deadline has passed,
    with the deadline's time of day when one is set («до 12:00 13.11.2023» is overdue from 12:00:01).
    ``Assignment.is_overdue`` is the same rule in Python; filters, sorting, reports, reminders
    and the calendar all use one of the two."""
    return open_q() & deadline_passed_q(now, local_moment)


class AssignmentQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Fills the stored ``cluster`` of assignments made without ``save()`` (from their decisions)."""
        objs = list(objs)
        for assignment in objs:
            if assignment.cluster_id is None and _cached(assignment, "decision"):
                assignment.cluster_id = assignment.decision.cluster_id
        missing = {_fk_id(a, "decision") for a in objs if a.cluster_id is None}
        if missing:
            clusters = dict(Decision.objects.filter(pk__in=missing).values_list("pk", "cluster_id"))
            for assignment in objs:
                if assignment.cluster_id is None:
                    assignment.cluster_id = clusters.get(_fk_id(assignment, "decision"))
        return super().bulk_create(objs, *args, **kwargs)

    def open(self):
        return self.filter(open_q())

    def overdue(self, now: datetime.datetime | None = None):
        return self.filter(overdue_q(now))

    def open_not_overdue(self, now: datetime.datetime | None = None):
        return self.open().exclude(deadline_passed_q(now))


class Assignment(DeadlineMixin):
    """«Поручение»: one responsible party's share of a decision."""

    # PROTECT: an assignment never disappears with its decision by accident; the protocol editor deletes
    # the ones without execution records explicitly and refuses the rest (meetings.services).
    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="assignments")
    organization = models.ForeignKey(
        "members.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    body = models.ForeignKey(
        "members.Body", verbose_name=_("body"), null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # The decision's cluster, stored (``Decision.cluster``): lists, counts and the report filter by it.
    # The composite indexes below start with it, so it needs no index of its own.
    cluster = models.ForeignKey(
        "members.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="+", editable=False,
        db_index=False,
    )
    # The part of the urgency order that does not depend on the clock, computed by the database
    # (``tasks.selectors.sorted_by_urgency``): 1 open with a deadline (overdue ones are the earliest
    # of these), 2 reported, 3 open without a deadline, 4 accepted, 5 cancelled.
    urgency_rank = models.GeneratedField(
        expression=models.Case(
            models.When(Q(status__in=OPEN_ASSIGNMENT_STATUSES, deadline__isnull=False), then=models.Value(1)),
            models.When(status=AssignmentStatus.REPORTED, then=models.Value(2)),
            models.When(status__in=OPEN_ASSIGNMENT_STATUSES, then=models.Value(3)),
            models.When(status=AssignmentStatus.ACCEPTED, then=models.Value(4)),
            default=models.Value(5),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("urgency"),
    )
    history = HistoricalRecords(excluded_fields=["cluster", "urgency_rank"])

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["organization", "status"]),
            # The task list «all in my clusters» (urgency order) and the discipline report of a cluster.
            models.Index(fields=["cluster", "urgency_rank", "deadline", "id"], name="assignment_cluster_urgency"),
            # The same over every cluster (administrator), and the default ordering (admin list).
            models.Index(fields=["urgency_rank", "deadline", "id"], name="assignment_urgency"),
            models.Index(fields=["deadline", "id"], name="assignment_deadline_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, person__isnull=True, body__isnull=True)
                    | Q(organization__isnull=True, person__isnull=False, body__isnull=True)
                    | Q(organization__isnull=True, person__isnull=True, body__isnull=False)
                ),
                name="assignment_exactly_one_party",
                violation_error_message=_("An assignment has exactly one responsible party."),
            ),
            models.UniqueConstraint(
                fields=["decision", "organization"], condition=Q(organization__isnull=False), name="assignment_org_once"
            ),
            models.UniqueConstraint(fields=["decision", "person"], condition=Q(person__isnull=False), name="assignment_person_once"),
            models.UniqueConstraint(fields=["decision", "body"], condition=Q(body__isnull=False), name="assignment_body_once"),
        ]

    def __str__(self):
        return f"{self.decision.number} — {self.party}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_decision_id = instance.__dict__.get("decision_id")
        return instance

    def save(self, *args, **kwargs):
        if self.cluster_id is None or self.decision_id != getattr(self, "_loaded_decision_id", None):
            self.cluster_id = self.decision.cluster_id
        super().save(*args, **kwargs)
        self._loaded_decision_id = self.decision_id

    @property
    def party(self):
        return self.organization or self.person or self.body

    @property
    def deadline_display(self) -> str:
        """As its decision prints «Срок:» (words, «28.05.2021») while the deadline is still the decision's;
        once it has its own (an extension), its date. The decision is used only when already loaded
        (assignment lists select it), so this never costs a query."""
        if Assignment.decision.is_cached(self):
            decision = self.decision
            if all(getattr(self, name) == getattr(decision, name) for name in ("deadline", "deadline_time",
                                                                               "deadline_start")):
                if decision.deadline_text or not ru.english_ui():
                    return decision.deadline_display  # as typed, or as the protocol prints it
        return ru.ui_deadline(date=self.deadline, time=self.deadline_time, start=self.deadline_start)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ASSIGNMENT_STATUSES

    @property
    def is_overdue(self) -> bool:
        """``overdue_q`` in Python (open and ``deadline_at`` has passed)."""
        return self.is_open and self.deadline_at is not None and self.deadline_at < timezone.now()


class MeetingSignatory(ProtocolPart, SignatoryRow):
    """A signer of one protocol whose ``signatories`` is ``CUSTOM`` (a per-protocol list, or the body's
    list as it was when the protocol was approved)."""

    MEETING_PATH, OWNER_FIELD = "signatory_rows", "meeting"

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="signatory_rows")

    class Meta:
        verbose_name = _("signer of the protocol")
        verbose_name_plural = _("signers of the protocol")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="meeting_signatory_order_unique"),
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_signatory_person_once",
                                    violation_error_message=_("This person is already among the signers.")),
        ]

    def __str__(self):
        return f"{self.order}. {self.label} {self.person.initials_surname}"


# ---------------------------------------------------------------- the lock on the protocol's many-to-many rows
#
# ``add``, ``remove``, ``set`` and ``clear`` on a printed relation (a decision's responsible parties, the
# meeting's participating clusters) write the through table without saving the row: the lock above does not
# see them. Django reports them only through ``m2m_changed``, so that is where the model refuses them.

def _locked_meetings(model, pks):
    if model is Meeting:
        return Meeting.objects.filter(pk__in=pks)
    return Meeting.objects.filter(agenda_items__decisions__in=pks)


def _refuse_m2m_write_if_signed(sender, instance, action, reverse, model, pk_set, *, field, **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear") or _unlocked.get():
        return
    owner = field.model  # Meeting or Decision: the protocol's side of the relation
    if not reverse:
        pks = [instance.pk]
    elif pk_set is not None:
        pks = list(pk_set)
    else:  # clear() from the other side: every protocol row related to it
        pks = list(owner.objects.filter(**{field.name: instance}).values_list("pk", flat=True))
    refuse_if_signed(_locked_meetings(owner, pks))


def _connect_m2m_locks():
    from functools import partial

    for owner in (Meeting, Decision):
        for field in owner._meta.many_to_many:
            models.signals.m2m_changed.connect(
                partial(_refuse_m2m_write_if_signed, field=field), sender=field.remote_field.through,
                weak=False, dispatch_uid=f"signed-lock-{owner.__name__}-{field.name}")


_connect_m2m_locks()


# The staging record of a protocol import lives beside its parser; the app's migrations hold it.
from meetings.importing.models import ProtocolImport  # noqa: E402,F401
