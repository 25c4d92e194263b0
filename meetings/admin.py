import datetime
import json

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Exists, Max, Min
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cluster_portal.admin_site import DirectActionCheckbox
from meetings.importing.models import ProtocolImport
from meetings.models import AgendaItem, Assignment, Attendance, Decision, Meeting, MeetingSignatory, Speaker


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "name_text", "position_text", "mode", "invited", "order"]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "heard", "discussion", "decision_intro"]
    show_change_link = True


class MeetingSignatoryInline(admin.TabularInline):
    model = MeetingSignatory
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["order", "person", "label"]


# Tables that grow by thousands of rows a year: Django's admin renders each row of a changelist
# through its templates (~1 ms a row), so 100 rows a page cost ~100 ms of CPU at any data size.
ADMIN_LIST_PER_PAGE = 50


@admin.register(Meeting)
class MeetingAdmin(DirectActionCheckbox, SimpleHistoryAdmin):
    list_per_page = ADMIN_LIST_PER_PAGE
    list_display = ["__str__", "cluster", "body", "kind", "date", "status"]
    list_filter = [("cluster", admin.RelatedOnlyFieldListFilter), "status", "kind", ("body", admin.RelatedOnlyFieldListFilter), "year"]
    list_select_related = ["cluster", "body"]
    search_fields = ["number", "title", "place", "agenda_items__title", "agenda_items__decisions__text"]
    date_hierarchy = "date"
    autocomplete_fields = ["chair", "secretary"]
    readonly_fields = ["revision", "submitted_at", "approved_at", "approved_by"]
    inlines = [AttendanceInline, AgendaItemInline, MeetingSignatoryInline]


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "name_text", "position_text", "order"]


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0
    fields = ["order", "text", "kind", "vote", "deadline", "deadline_time", "deadline_start", "responsible_text"]
    show_change_link = True


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "order"]
    list_filter = [("meeting__cluster", admin.RelatedOnlyFieldListFilter), ("meeting__body", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["meeting"]
    search_fields = ["title", "discussion"]
    inlines = [SpeakerInline, DecisionInline]


class YearRangeDates:
    """A changelist queryset whose ``dates(field, "year")`` (the date hierarchy's top level) costs
    index probes instead of a DISTINCT over every row: MIN and MAX, then one query asking, for each
    year between them, whether a row falls in it (``EXISTS`` over an index range)."""

    MAX_YEARS = 60  # a wider span (a mistyped date) takes Django's own query

    def dates(self, field_name, kind, order="ASC"):
        if kind != "year":
            return super().dates(field_name, kind, order)
        bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        span = range(bounds["first"].year, bounds["last"].year + 1)
        if len(span) > self.MAX_YEARS:
            return super().dates(field_name, kind, order)
        probes = {
            f"y{year}": Exists(self.filter(**{f"{field_name}__gte": datetime.date(year, 1, 1),
                                               f"{field_name}__lt": datetime.date(year + 1, 1, 1)}))
            for year in span
        }
        found = self.model._base_manager.using(self.db).annotate(**probes).values_list(*probes)[:1].get()
        years = [datetime.date(year, 1, 1) for year, present in zip(span, found) if present]
        return years if order == "ASC" else years[::-1]


class YearRangeChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        queryset.__class__ = _year_range_class(type(queryset))
        return queryset


_YEAR_RANGE_CLASSES = {}


def _year_range_class(cls):
    if cls not in _YEAR_RANGE_CLASSES:
        _YEAR_RANGE_CLASSES[cls] = type(f"YearRange{cls.__name__}", (YearRangeDates, cls), {})
    return _YEAR_RANGE_CLASSES[cls]


@admin.register(Decision)
class DecisionAdmin(DirectActionCheckbox, SimpleHistoryAdmin):
    list_per_page = ADMIN_LIST_PER_PAGE
    list_display = ["number", "short_text", "meeting", "kind", "vote", "deadline"]
    # The stored cluster, offered from the cluster table (not a DISTINCT over every decision).
    list_filter = ["cluster", "kind", "vote"]
    list_select_related = ["agenda_item__meeting__body"]
    # Newest first by the primary key: the model's ordering follows agenda item → meeting and sorts
    # every joined row before the first page.
    ordering = ["-id"]
    show_full_result_count = False  # one COUNT over the table, not two
    search_fields = ["text"]
    raw_id_fields = ["parent"]
    autocomplete_fields = [
        "responsible_organizations",
        "responsible_people",
        "responsible_bodies",
        "continues",
        "approves_plan",
    ]

    def get_queryset(self, request):
        # The decision's number («1.1» or «2») depends on its siblings.
        return super().get_queryset(request).prefetch_related("agenda_item__decisions")

    @admin.display(description=_("No."))
    def number(self, obj):
        return obj.number

    @admin.display(description=_("decision"))
    def short_text(self, obj):
        return obj.text[:100]

    @admin.display(description=_("meeting"))
    def meeting(self, obj):
        return obj.agenda_item.meeting


@admin.register(Assignment)
class AssignmentAdmin(DirectActionCheckbox, SimpleHistoryAdmin):
    list_per_page = ADMIN_LIST_PER_PAGE
    list_display = ["id", "decision_text", "organization", "person", "body", "deadline", "status"]
    # The stored cluster from the cluster table; ``deadline, id`` (the model's ordering) has an index.
    list_filter = ["cluster", "status", "deadline"]
    list_select_related = ["decision__agenda_item__meeting__body", "organization", "person", "body"]
    search_fields = ["decision__text", "organization__short_name", "person__last_name"]
    autocomplete_fields = ["decision", "organization", "person", "body"]
    date_hierarchy = "deadline"
    show_full_result_count = False  # one COUNT over the table, not two

    def get_changelist(self, request, **kwargs):
        return YearRangeChangeList  # the date hierarchy's years from MIN/MAX of ``deadline`` (indexed)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("decision__agenda_item__decisions")

    @admin.display(description=_("decision"))
    def decision_text(self, obj):
        return obj.decision.text[:80]


@admin.register(ProtocolImport)
class ProtocolImportAdmin(admin.ModelAdmin):
    """The staging records of protocol imports, for the portal administrator to see: read-only (the secretary
    reviews and confirms on the portal's own page); an unconfirmed one may be deleted, a confirmed one is
    kept because it names the source of its draft protocol."""

    list_display = ["__str__", "body", "cluster", "created_by", "created_at", "parsed_at", "confirmed_at", "meeting"]
    list_filter = [("body__cluster", admin.RelatedOnlyFieldListFilter), ("body", admin.RelatedOnlyFieldListFilter),
                   ("confirmed_at", admin.EmptyFieldListFilter), ("parsed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["body__cluster", "created_by", "meeting"]
    search_fields = ["file_name", "token"]
    date_hierarchy = "created_at"
    fields = ["file_name", "body", "created_by", "created_at", "parsed_at", "confirmed_at", "meeting", "flags",
              "source", "parsed"]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match and match.url_name == "meetings_protocolimport_changelist":  # the list: not the texts
            queryset = queryset.defer("source_text", "result")
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the view permission shows the record read-only

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_confirmed)

    def get_deleted_objects(self, objs, request):
        """A confirmed import among those to delete refuses the whole deletion (listed as protected)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        confirmed = [obj for obj in objs if obj.is_confirmed]
        if confirmed:  # refused by has_delete_permission: said as what protects them, not as a missing right
            perms_needed = set(perms_needed) - {self.model._meta.verbose_name}
        protected = list(protected) + [_("%(import)s: the source of the draft protocol %(meeting)s")
                                       % {"import": obj, "meeting": obj.meeting} for obj in confirmed]
        return deleted, counts, perms_needed, protected

    @admin.display(description=_("cluster"), ordering="body__cluster")
    def cluster(self, obj):
        return obj.body.cluster

    @admin.display(description=_("to check"))
    def flags(self, obj):
        return obj.flag_count if obj.is_parsed else "—"

    @admin.display(description=_("source text"))
    def source(self, obj):
        return format_html('<pre style="white-space: pre-wrap; max-height: 40rem; overflow: auto">{}</pre>',
                           obj.source_text)

    @admin.display(description=_("parsed protocol"))
    def parsed(self, obj):
        return format_html('<pre style="white-space: pre-wrap; max-height: 40rem; overflow: auto">{}</pre>',
                           json.dumps(obj.result, ensure_ascii=False, indent=2))
