"""The importer's background jobs (django-tasks, as ``ops.jobs``): parsing the files of a large upload and
pruning the imports nobody confirmed. Both may run more than once: parsing skips a parsed record (it locks
the row first), pruning deletes what is still stale when it runs."""

from __future__ import annotations

from django_tasks import task

from ops.jobs import retried


@task()
def parse_protocol_import(*, import_id: int, attempt: int = 1) -> dict:
    """Parse and match one waiting import (``services.protocol_import_parse``). A record discarded or pruned
    before its turn is nothing to do."""
    from meetings.importing import services
    from meetings.importing.models import ProtocolImport

    with retried(parse_protocol_import, attempt, {"import_id": import_id}):
        try:
            record = services.protocol_import_parse(record=ProtocolImport(pk=import_id))
        except ProtocolImport.DoesNotExist:
            return {"import_id": import_id, "parsed": False, "gone": True}
        return {"import_id": import_id, "parsed": True, "flags": record.flag_count}


@task()
def prune_protocol_imports(*, attempt: int = 1) -> dict:
    """Delete the unconfirmed imports older than ``PROTOCOL_IMPORT_KEEP_DAYS`` (the worker enqueues it every
    ``PROTOCOL_IMPORT_PRUNE_EVERY_MINUTES``; ``manage.py prune_protocol_imports`` does it by hand)."""
    from meetings.importing import services

    with retried(prune_protocol_imports, attempt, {}):
        return {"deleted": len(services.protocol_imports_prune())}


def queued_imports(import_ids: list[int]) -> set[int]:
    """Those of ``import_ids`` with a parse job still to run (ready, deferred for a retry, or running): one
    query on the database queue. An unparsed import outside it will not be parsed in the background (its
    job failed for good, was lost, or ran inline and failed): its review page parses it when opened."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if not import_ids:
        return set()
    rows = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING], task_path=parse_protocol_import.module_path,
        args_kwargs__kwargs__import_id__in=import_ids).values_list("args_kwargs__kwargs__import_id", flat=True)
    return {int(pk) for pk in rows}
