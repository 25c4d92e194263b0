"""The administrator's view of the queue: django-tasks-db's «Task results» (read-only, with the
traceback of each failed attempt) plus an action that enqueues failed tasks again, and the workers'
heartbeats. The admin is for superusers only (cluster_portal.admin_site)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _, ngettext
from django_tasks import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from ops.models import ScheduledRun, WorkerHeartbeat

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ("id", "job", "status", "attempt", "enqueued_at", "started_at", "finished_at",
                    "exception_class_path", "queue_name")
    list_filter = ("status", "queue_name", "task_path")
    search_fields = ("task_path", "exception_class_path")
    actions = ["enqueue_again"]

    @admin.display(description=_("job"), ordering="task_path")
    def job(self, obj):
        return obj.task_path  # without importing it: a row of a removed job still lists

    @admin.display(description=_("attempt"))
    def attempt(self, obj):
        return (obj.args_kwargs or {}).get("kwargs", {}).get("attempt", 1)

    @admin.action(description=_("Enqueue the selected failed tasks again"))
    def enqueue_again(self, request, queryset):
        count = 0
        for row in queryset.filter(status=TaskResultStatus.FAILED):
            kwargs = dict(row.args_kwargs.get("kwargs", {}))
            if "attempt" in kwargs:
                kwargs["attempt"] = 1
            row.task.using(run_after=None).enqueue(*row.args_kwargs.get("args", []), **kwargs)
            count += 1
        self.message_user(request, ngettext("%(count)d task enqueued again.", "%(count)d tasks enqueued again.", count)
                          % {"count": count}, messages.SUCCESS)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "seen_at", "tasks_run")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ("name", "slot", "enqueued_at")
    list_filter = ("name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
