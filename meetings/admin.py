from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import AgendaItem, Assignment, Attendance, Decision, Meeting, Speaker


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


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "cluster", "body", "kind", "date", "status"]
    list_filter = [("cluster", admin.RelatedOnlyFieldListFilter), "status", "kind", ("body", admin.RelatedOnlyFieldListFilter), "year"]
    list_select_related = ["cluster", "body"]
    search_fields = ["number", "title", "place", "agenda_items__title", "agenda_items__decisions__text"]
    date_hierarchy = "date"
    autocomplete_fields = ["chair", "secretary"]
    readonly_fields = ["revision", "submitted_at", "approved_at", "approved_by"]
    inlines = [AttendanceInline, AgendaItemInline]


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


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "short_text", "meeting", "kind", "vote", "deadline"]
    list_filter = [("agenda_item__meeting__cluster", admin.RelatedOnlyFieldListFilter), "kind", "vote"]
    list_select_related = ["agenda_item__meeting__body"]
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
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["id", "decision_text", "organization", "person", "body", "deadline", "status"]
    list_filter = [("decision__agenda_item__meeting__cluster", admin.RelatedOnlyFieldListFilter), "status", "deadline"]
    list_select_related = ["decision__agenda_item__meeting__body", "organization", "person", "body"]
    search_fields = ["decision__text", "organization__short_name", "person__last_name"]
    autocomplete_fields = ["decision", "organization", "person", "body"]
    date_hierarchy = "deadline"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("decision__agenda_item__decisions")

    @admin.display(description=_("decision"))
    def decision_text(self, obj):
        return obj.decision.text[:80]
