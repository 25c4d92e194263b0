"""Structured logs: one JSON line per request and per background task when LOG_JSON=1.

The request id comes from the proxy (``X-Request-ID``, nginx ``$request_id``) when it is a sane token,
else it is made here; it is sent back in the response's ``X-Request-ID`` header and put on every log
line written while the request runs. A task's line carries the task id, its attempt and worker.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import time
import traceback
import uuid

from django.conf import settings
from django_tasks.signals import task_finished, task_started

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
HEADER = "X-Request-ID"

request_logger = logging.getLogger("portal.request")
task_logger = logging.getLogger("portal.task")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the record's ``fields``."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            line["request_id"] = request_id
        line.update(getattr(record, "fields", {}) or {})
        if record.exc_info:
            line["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


def incoming_request_id(request) -> str:
    raw = request.META.get("HTTP_X_REQUEST_ID", "")
    return raw if REQUEST_ID.match(raw) else uuid.uuid4().hex


class RequestLogMiddleware:
    """First in MIDDLEWARE: the request id for the whole request, the access line at its end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = incoming_request_id(request)
        token = request_id_var.set(request.request_id)
        start = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[HEADER] = request.request_id
            return response
        finally:
            if settings.LOG_REQUESTS:
                user = getattr(request, "user", None)
                fields = {
                    "event": "request",
                    "request_id": request.request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                }
                request_logger.info("%s %s %s", request.method, request.path, status, extra={"fields": fields})
            request_id_var.reset(token)


_started: dict[str, float] = {}


def _on_task_started(sender, task_result, **kwargs):
    _started[task_result.id] = time.perf_counter()


def _on_task_finished(sender, task_result, **kwargs):
    start = _started.pop(task_result.id, None)
    if not settings.LOG_REQUESTS:
        return
    attempt = (task_result.kwargs or {}).get("attempt", 1)
    fields = {
        "event": "task",
        "task": task_result.task.name,
        "task_id": task_result.id,
        "status": str(task_result.status),
        "attempt": attempt,
        "duration_ms": round((time.perf_counter() - start) * 1000, 1) if start is not None else None,
        "worker_id": task_result.worker_ids[-1] if task_result.worker_ids else None,
    }
    if task_result.errors:
        fields["error"] = task_result.errors[-1].exception_class_path
    level = logging.ERROR if task_result.errors else logging.INFO
    task_logger.log(level, "task %s %s", task_result.task.name, task_result.status, extra={"fields": fields})


task_started.connect(_on_task_started, dispatch_uid="ops.logs.task_started")
task_finished.connect(_on_task_finished, dispatch_uid="ops.logs.task_finished")
