"""The worker's heartbeat and the periodic schedule's claims, both in the shared database so that
every application node (/healthz) and every worker sees the same state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """One row per running worker process, refreshed every ``WORKER_HEARTBEAT_SECONDS`` by a thread
    (also while a long task runs); deleted when the worker stops cleanly. A row older than
    ``WORKER_STALE_SECONDS`` is a dead worker: its running task is put back in the queue."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last heartbeat"), db_index=True)
    tasks_run = models.PositiveIntegerField(_("tasks run"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.worker_id})"


class ScheduledRun(models.Model):
    """A periodic job enqueued for one time slot (``reminders`` / ``2026-12-02T12``): the unique pair
    makes one worker of many enqueue it, once."""

    name = models.CharField(_("job"), max_length=64)
    slot = models.CharField(_("time slot"), max_length=32)
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-enqueued_at"]
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="ops_scheduled_run_once")]

    def __str__(self):
        return f"{self.name} {self.slot}"
