from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import PlanItem, PlanSection, WorkPlan


class PlanSectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0
    fields = ["order", "title"]
    show_change_link = True


@admin.register(WorkPlan)
class WorkPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "period", "cluster", "status", "version"]
    list_filter = [("cluster", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["cluster"]
    search_fields = ["title", "period"]
    inlines = [PlanSectionInline]


class PlanItemInline(admin.StackedInline):
    model = PlanItem
    extra = 0
    fields = [
        "order", "title", "timeframe_kind", "year", ("q1", "q2", "q3", "q4"), "month", ("date_from", "date_to"),
        "organizers_text", "status",
    ]
    show_change_link = True


@admin.register(PlanSection)
class PlanSectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "order"]
    list_select_related = ["plan"]
    search_fields = ["title"]
    inlines = [PlanItemInline]


@admin.register(PlanItem)
class PlanItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "timeframe_display", "due_date", "status"]
    list_filter = [("section__plan__cluster", admin.RelatedOnlyFieldListFilter), "status", "timeframe_kind", "q1", "q2", "q3", "q4"]
    list_select_related = ["section"]
    search_fields = ["title", "organizers_text"]
    autocomplete_fields = ["organizers", "organizer_bodies", "meetings", "decisions"]
    readonly_fields = ["due_date"]
