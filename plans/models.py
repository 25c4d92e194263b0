"""Work plans: «План работы … на 2023 год» — sections, items, timeframes, organizers."""

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import ru


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class WorkPlan(models.Model):
    cluster = models.ForeignKey("members.Cluster", verbose_name=_("cluster"), on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(_("title"), max_length=500)
    period = models.CharField(_("period as written"), max_length=200, help_text=_("«на 2023 год», «на IV квартал 2017 г. и 2018 г.»"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous_version = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["cluster", "-period_start", "-version"]
        indexes = [models.Index(fields=["cluster", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="work_plan_period_ordered",
                violation_error_message=_("The period must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.period}".strip()

    @property
    def is_locked(self) -> bool:
        return self.status == PlanStatus.APPROVED


class PlanSection(models.Model):
    plan = models.ForeignKey(WorkPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("order"))
    title = models.TextField(_("title"))

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="plan_section_order_unique")]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"{self.order}."


class TimeframeKind(models.TextChoices):
    QUARTERS = "quarters", _("Quarters")
    YEAR = "year", _("During the year")
    MONTH = "month", _("Month")
    DATE = "date", _("Date")
    RANGE = "range", _("Date range")


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# Items still to be carried out; one of them is *overdue* once its due date has passed.
OPEN_ITEM_STATUSES = [ItemStatus.PLANNED, ItemStatus.IN_PROGRESS]


def item_overdue_q(today: datetime.date | None = None) -> Q:
    """*Overdue* for a plan item, the one definition (computed, never stored): still open and its
    timeframe ended before today (``due_date``; plans are kept to the day). ``PlanItem.is_overdue``
    is the same rule in Python."""
    return Q(status__in=OPEN_ITEM_STATUSES, due_date__lt=today or timezone.localdate())


MONTHS_NOMINATIVE = ["", "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
                     "октябрь", "ноябрь", "декабрь"]


class PlanItem(models.Model):
    section = models.ForeignKey(PlanSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("order"))
    title = models.TextField(_("event"))
    # Timeframe as structure; ``timeframe_display`` prints it the way plans are written.
    timeframe_kind = models.CharField(_("timeframe"), max_length=10, choices=TimeframeKind.choices, default=TimeframeKind.QUARTERS)
    year = models.PositiveSmallIntegerField(_("year"))
    q1 = models.BooleanField(_("1st quarter"), default=False)
    q2 = models.BooleanField(_("2nd quarter"), default=False)
    q3 = models.BooleanField(_("3rd quarter"), default=False)
    q4 = models.BooleanField(_("4th quarter"), default=False)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    # Control date derived from the timeframe (end of its last quarter, month or range).
    due_date = models.DateField(_("due date"), db_index=True, editable=False)
    organizers = models.ManyToManyField(
        "members.Organization", verbose_name=_("organizers"), blank=True, related_name="plan_items"
    )
    organizer_bodies = models.ManyToManyField("members.Body", verbose_name=_("organizing bodies"), blank=True, related_name="plan_items")
    organizers_text = models.TextField(
        _("organizers and participants as written"),
        blank=True,
        help_text=_("«Координатор. Рабочая группа. Образовательные организации …»"),
    )
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    report = models.TextField(_("report"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    meetings = models.ManyToManyField("meetings.Meeting", verbose_name=_("meetings"), blank=True, related_name="plan_items")
    decisions = models.ManyToManyField("meetings.Decision", verbose_name=_("decisions"), blank=True, related_name="plan_items")
    history = HistoricalRecords(m2m_fields=[organizers])

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["section", "order"]
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="plan_item_order_unique"),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="plan_item_month_valid",
                violation_error_message=_("A month is 1 to 12."),
            ),
            models.CheckConstraint(
                condition=Q(date_from__isnull=True) | Q(date_to__isnull=True) | Q(date_to__gte=models.F("date_from")),
                name="plan_item_range_ordered",
                violation_error_message=_("The date range must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title[:80]}"

    @property
    def number(self) -> str:
        return f"{self.section.order}.{self.order}."

    def save(self, *args, **kwargs):
        # Derived, stored only so that lists can filter and sort by it in SQL.
        self.due_date = self.compute_due_date()
        super().save(*args, **kwargs)

    @property
    def quarters(self) -> list[int]:
        return [n for n, flag in enumerate((self.q1, self.q2, self.q3, self.q4), start=1) if flag]

    def compute_due_date(self) -> datetime.date:
        if self.timeframe_kind == TimeframeKind.QUARTERS and self.quarters:
            last_month = self.quarters[-1] * 3
            return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])
        if self.timeframe_kind == TimeframeKind.MONTH and self.month:
            return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        if self.timeframe_kind in (TimeframeKind.DATE, TimeframeKind.RANGE) and (self.date_to or self.date_from):
            return self.date_to or self.date_from
        return datetime.date(self.year, 12, 31)

    @property
    def timeframe_display(self) -> str:
        """«1 кв. 2023 года», «1 кв. 2023 года, 4 кв. 2023 года», «В течение года»…"""
        if self.timeframe_kind == TimeframeKind.QUARTERS and self.quarters:
            return ", ".join(f"{q} кв. {self.year} года" for q in self.quarters)
        if self.timeframe_kind == TimeframeKind.MONTH and self.month:
            return f"{MONTHS_NOMINATIVE[self.month].capitalize()} {self.year} года"
        if self.timeframe_kind == TimeframeKind.DATE and self.date_from:
            return ru.ru_date(self.date_from)
        if self.timeframe_kind == TimeframeKind.RANGE and self.date_from and self.date_to:
            return ru.format_deadline(date=self.date_to, start=self.date_from)
        return "В течение года"

    def active_in_quarter(self, quarter: int) -> bool:
        """Whether the item runs in that quarter of its year («В течение года» runs in every one)."""
        first, last = quarter * 3 - 2, quarter * 3
        if self.timeframe_kind == TimeframeKind.QUARTERS and self.quarters:
            return quarter in self.quarters
        if self.timeframe_kind == TimeframeKind.MONTH and self.month:
            return first <= self.month <= last
        if self.timeframe_kind in (TimeframeKind.DATE, TimeframeKind.RANGE) and self.date_from:
            start, end = self.date_from, self.date_to or self.date_from
            q_start = datetime.date(self.year, first, 1)
            q_end = datetime.date(self.year, last, calendar.monthrange(self.year, last)[1])
            return start <= q_end and end >= q_start
        return True

    @property
    def progress_status(self) -> str:
        """The stored status, or «overdue» (computed: the timeframe has ended and the item is still open)."""
        return OVERDUE if self.is_overdue else self.status

    @property
    def progress_status_display(self) -> str:
        return PROGRESS_STATUS_LABELS[self.progress_status]

    @property
    def is_overdue(self) -> bool:
        """``item_overdue_q`` in Python."""
        return self.status in OPEN_ITEM_STATUSES and self.due_date < timezone.localdate()


OVERDUE = "overdue"
PROGRESS_STATUS_LABELS = {**dict(ItemStatus.choices), OVERDUE: _("Overdue")}
