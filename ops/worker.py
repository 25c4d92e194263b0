"""The portal's worker: django-tasks-db's ``db_worker`` loop plus what several nodes need.

- a heartbeat row (``ops.WorkerHeartbeat``) written by a thread every ``WORKER_HEARTBEAT_SECONDS``,
  also while a task runs, and read by /healthz;
- recovery: a task left *running* by a worker whose heartbeat is older than ``WORKER_STALE_SECONDS``
  (killed, machine lost) goes back to *ready*, so nothing is lost; after ``TASK_MAX_ATTEMPTS`` such
  losses it is marked failed (a task that kills its worker must not kill every worker in turn);
- the periodic jobs (the reminders every ``REMINDERS_EVERY_MINUTES``, the pruning of unconfirmed protocol
  imports every ``PROTOCOL_IMPORT_PRUNE_EVERY_MINUTES``), enqueued once per time slot
  whatever the number of workers (``ops.ScheduledRun``).
"""

from __future__ import annotations

import datetime
import logging
import os
import random
import socket
import threading
import time

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from ops.models import ScheduledRun, WorkerHeartbeat

logger = logging.getLogger("ops.worker")

LOST = "ops.worker.WorkerLost"


def beat(worker_id: str, started_at, tasks_run: int) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at,
                  "seen_at": timezone.now(), "tasks_run": tasks_run},
    )


def recover_abandoned(*, backend_name: str = "default", now=None) -> int:
    """Put back in the queue the running tasks whose worker has stopped beating; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    recovered = 0
    running = DBTaskResult.objects.running().filter(backend_name=backend_name, started_at__lt=cutoff)
    for row in running.only("id", "worker_ids", "started_at", "task_path")[:100]:
        owner = row.worker_ids[-1] if row.worker_ids else None
        if owner in alive:
            continue
        same = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        if len(row.worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            changed = same.update(status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=LOST,
                                  traceback=f"The worker running this task stopped {len(row.worker_ids)} times.")
            logger.error("Task %s (%s) lost its worker %s times: failed", row.pk, row.task_path, len(row.worker_ids))
        else:
            changed = same.update(status=TaskResultStatus.READY, started_at=None)
            logger.warning("Task %s (%s) abandoned by worker %s: queued again", row.pk, row.task_path, owner)
        recovered += changed
    return recovered


def time_slot(now, minutes: int) -> str:
    local = timezone.localtime(now)
    start = local.replace(second=0, microsecond=0) - datetime.timedelta(minutes=(local.hour * 60 + local.minute) % minutes)
    return start.strftime("%Y-%m-%dT%H:%M")


def schedule_periodic(now=None) -> list[str]:
    """Enqueue each periodic job not yet enqueued for the current slot; returns the names enqueued."""
    from meetings.importing import jobs as import_jobs
    from ops import jobs

    now = now or timezone.now()
    enqueued = []
    periodic = [("reminders", settings.REMINDERS_EVERY_MINUTES, jobs.send_reminders),
                ("prune_protocol_imports", settings.PROTOCOL_IMPORT_PRUNE_EVERY_MINUTES, import_jobs.prune_protocol_imports)]
    for name, minutes, job in periodic:
        if not minutes:
            continue
        slot = time_slot(now, minutes)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=name, slot=slot)
                job.enqueue()  # same database, same transaction: both or neither
        except IntegrityError:
            continue
        enqueued.append(name)
    return enqueued


class Heartbeat(threading.Thread):
    def __init__(self, worker):
        super().__init__(name="heartbeat", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()

    def run(self):
        try:
            while not self.stopped.is_set():
                try:
                    beat(self.worker.worker_id, self.worker.started_at, self.worker._run_tasks)
                except Exception:  # the database is away for a moment: try again next time
                    logger.exception("Could not write the worker heartbeat")
                self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)
        finally:
            connection.close()


class PortalWorker(Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.started_at = timezone.now()
        self.last_housekeeping = 0.0

    def housekeeping(self) -> None:
        """Recovery and the schedule, at most every few seconds."""
        if time.monotonic() - self.last_housekeeping < min(settings.WORKER_HEARTBEAT_SECONDS, 5):
            return
        self.last_housekeeping = time.monotonic()
        try:
            if self.batch:
                beat(self.worker_id, self.started_at, self._run_tasks)
            recover_abandoned(backend_name=self.backend_name)
            if not self.batch:
                schedule_periodic()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise

    def run(self) -> None:
        beat(self.worker_id, self.started_at, 0)
        # a long-running worker beats from a thread (also during a long task); a --batch run (cron, tests)
        # beats from its loop, on the caller's connection
        heartbeat = None if self.batch else Heartbeat(self)
        if heartbeat:
            heartbeat.start()
        try:
            self.loop()
        finally:
            if heartbeat:
                heartbeat.stopped.set()
                heartbeat.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def loop(self) -> None:
        """django_tasks_db's Worker.run (0.13.0) with the housekeeping step."""
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311
        while self.running:
            close_old_connections()
            self.housekeeping()
            tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
            if not self.process_all_queues:
                tasks = tasks.filter(queue_name__in=self.queue_names)
            if self.excluded_queue_names:
                tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
            with exclusive_transaction(tasks.db):
                try:
                    task_result = tasks.get_locked()
                    retrieved = True
                    if task_result is not None:
                        task_result.claim(self.worker_id)
                except OperationalError as error:
                    retrieved = False
                    if not is_locked_database_exception(error):
                        raise
                    task_result = None
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Run maximum tasks (%d) on worker=%s - exiting gracefully.", self._run_tasks, self.worker_id)
                return
            close_old_connections()
            if self.running and not task_result:
                time.sleep(self.interval)
