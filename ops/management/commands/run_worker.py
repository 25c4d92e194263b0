"""Run the background worker: ``manage.py run_worker`` (one per systemd unit / container; run as
many as needed, on any node). Same options as django-tasks-db's ``db_worker``; adds the heartbeat
that /healthz reads, the recovery of tasks left by a killed worker and the periodic jobs (the hourly
reminders: REMINDERS_EVERY_MINUTES, 0 to leave them to cron — ``manage.py send_reminders --enqueue``).
SIGTERM finishes the running task, then stops.
"""

from django_tasks_db.management.commands import db_worker

from ops.worker import PortalWorker


class Command(db_worker.Command):
    help = "Run the portal's background worker (django-tasks database backend) with heartbeat and schedule."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = PortalWorker(queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
                              startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id,
                              excluded_queue_names=excluded)
        worker.configure_signals()
        worker.run()
