from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    """The shared database cache's table (CACHES["default"] when no REDIS_URL), so that `migrate`
    alone prepares a node; a no-op for the other cache backends."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("worker_id", models.CharField(max_length=64, primary_key=True, serialize=False, verbose_name="worker")),
                ("hostname", models.CharField(max_length=255, verbose_name="host")),
                ("pid", models.PositiveIntegerField(verbose_name="process id")),
                ("started_at", models.DateTimeField(verbose_name="started at")),
                ("seen_at", models.DateTimeField(db_index=True, verbose_name="last heartbeat")),
                ("tasks_run", models.PositiveIntegerField(default=0, verbose_name="tasks run")),
            ],
            options={"verbose_name": "worker heartbeat", "verbose_name_plural": "worker heartbeats", "ordering": ["-seen_at"]},
        ),
        migrations.CreateModel(
            name="ScheduledRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=64, verbose_name="job")),
                ("slot", models.CharField(max_length=32, verbose_name="time slot")),
                ("enqueued_at", models.DateTimeField(auto_now_add=True, verbose_name="enqueued at")),
            ],
            options={"verbose_name": "scheduled run", "verbose_name_plural": "scheduled runs", "ordering": ["-enqueued_at"]},
        ),
        migrations.AddConstraint(
            model_name="scheduledrun",
            constraint=models.UniqueConstraint(fields=("name", "slot"), name="ops_scheduled_run_once"),
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=True),
    ]
