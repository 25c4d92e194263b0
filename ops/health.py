"""What /healthz and /readyz report. Each check is one cheap operation with a bounded cost (a
``SELECT 1``, one storage existence probe, two indexed queries on the queue), says ``ok`` or why not,
and never shows a secret (no DSN, bucket credentials or exception text beyond its class)."""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

PROBE = "healthz/probe"  # a name that is never stored: asking about it costs one HEAD / stat


def _timed(check):
    start = time.perf_counter()
    try:
        result = check()
    except Exception as error:  # a check that fails says which kind of failure, nothing more
        result = {"ok": False, "error": type(error).__name__}
    result["ms"] = round((time.perf_counter() - start) * 1000, 1)
    return result


def check_database() -> dict:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connections[DEFAULT_DB_ALIAS].vendor}


def check_storage() -> dict:
    from django.core.files.storage import storages

    default_storage.exists(PROBE)
    return {"ok": True, "backend": type(storages["default"]).__name__}


def uses_worker() -> bool:
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def worker_alive(now=None) -> bool:
    """Whether background jobs will run: the immediate backend runs them inline; the database backend needs
    a worker whose heartbeat is fresh (one indexed query)."""
    if not uses_worker():
        return True
    from ops.models import WorkerHeartbeat

    fresh = (now or timezone.now()) - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    return WorkerHeartbeat.objects.filter(seen_at__gte=fresh).exists()


def check_worker(now=None) -> dict:
    """The newest heartbeat of any worker, and the queue: ready tasks (up to 10 000 counted) and the
    age of the oldest one."""
    if not uses_worker():
        return {"ok": True, "mode": "inline"}  # the immediate backend: jobs run in the request's process
    from django_tasks_db.models import DBTaskResult

    from ops.models import WorkerHeartbeat

    now = now or timezone.now()
    last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    fresh = now - datetime.timedelta(seconds=settings.WORKER_STALE_SECONDS)
    alive = WorkerHeartbeat.objects.filter(seen_at__gte=fresh).count()
    ready = DBTaskResult.objects.ready()
    queued = ready.values("pk")[:10000].count()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return {
        "ok": last is not None and last >= fresh,
        "workers": alive,
        "last_heartbeat": last.isoformat() if last else None,
        "last_heartbeat_age_s": round((now - last).total_seconds(), 1) if last else None,
        "queued": queued,
        "oldest_queued_age_s": round((now - oldest).total_seconds(), 1) if oldest else None,
    }


def health() -> tuple[bool, dict]:
    checks = {"database": _timed(check_database), "storage": _timed(check_storage)}
    checks["worker"] = _timed(check_worker) if checks["database"]["ok"] else {"ok": False, "error": "database"}
    ok = all(check["ok"] for check in checks.values())
    return ok, {"status": "ok" if ok else "fail", "checks": checks}


def pending_migrations() -> list[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def ready() -> tuple[bool, dict]:
    try:
        pending = pending_migrations()
    except Exception as error:
        return False, {"status": "fail", "error": type(error).__name__}
    if pending:
        return False, {"status": "fail", "pending_migrations": len(pending)}
    return True, {"status": "ok"}
