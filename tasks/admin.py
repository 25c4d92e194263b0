from django.contrib import admin

from tasks.models import AssignmentReport, AssignmentReportFile, CalendarToken, DeadlineExtension, SentNotification


class ReportFileInline(admin.TabularInline):
    model = AssignmentReportFile
    extra = 0


@admin.register(AssignmentReport)
class AssignmentReportAdmin(admin.ModelAdmin):
    list_display = ["assignment", "author", "submitted_at", "status"]
    list_filter = ["status"]
    list_select_related = [
        "assignment__decision__agenda_item__meeting__body", "assignment__organization", "assignment__person",
        "assignment__body", "author",
    ]
    raw_id_fields = ["assignment"]
    inlines = [ReportFileInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assignment__decision__agenda_item__decisions")


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(admin.ModelAdmin):
    list_display = ["assignment", "old_deadline", "new_deadline", "status", "requested_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assignment__decision__agenda_item__decisions")
    list_filter = ["status"]
    list_select_related = [
        "assignment__decision__agenda_item__meeting__body", "assignment__organization", "assignment__person",
        "assignment__body",
    ]
    raw_id_fields = ["assignment"]


@admin.register(SentNotification)
class SentNotificationAdmin(admin.ModelAdmin):
    list_display = ["key", "recipient", "sent_at"]
    search_fields = ["key", "recipient"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    readonly_fields = ["token"]
