"""LOG_JSON: one JSON line per request and per task, with the request id (from the proxy or made here)."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings

from ops import jobs
from ops.logs import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(settings, caplog):
    settings.LOG_REQUESTS = True
    caplog.set_level(logging.INFO, logger="portal")
    return caplog


def lines(caplog, name):
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records if record.name == name]


def test_one_line_per_request_with_the_proxys_request_id(client_as, users, logged):
    response = client_as("member").get("/meetings/", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")
    assert response["X-Request-ID"] == "nginx-0123456789abcdef"
    [line] = lines(logged, "portal.request")
    assert line["request_id"] == "nginx-0123456789abcdef"
    assert (line["method"], line["path"], line["status"], line["user_id"]) == ("GET", "/meetings/", 200, users["member"].pk)
    assert line["event"] == "request" and line["duration_ms"] > 0 and line["level"] == "INFO"


def test_a_request_id_is_made_when_the_proxy_sends_none_or_junk(client, logged):
    made = client.get("/accounts/login/")["X-Request-ID"]
    junk = client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\nwith newline")["X-Request-ID"]
    assert len(made) == 32 and len(junk) == 32 and made != junk
    assert [line["request_id"] for line in lines(logged, "portal.request")] == [made, junk]
    assert lines(logged, "portal.request")[0]["user_id"] is None


def test_one_line_per_task(logged, django_capture_on_commit_callbacks):
    jobs.send_email.enqueue(subject="Тема", body="Текст", to=["a@example.org"])
    [line] = lines(logged, "portal.task")
    assert line["event"] == "task" and line["task"] == "send_email" and line["status"] == "SUCCESSFUL"
    assert line["attempt"] == 1 and line["duration_ms"] >= 0 and line["task_id"]


def test_lines_are_off_by_default(client, caplog):
    caplog.set_level(logging.INFO, logger="portal")
    client.get("/accounts/login/")
    assert lines(caplog, "portal.request") == []


def test_an_exception_is_one_json_line():
    try:
        raise ValueError("плохо")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info())
    text = JsonFormatter().format(record)
    assert "\n" not in text and json.loads(text)["message"] == "failed here"
    assert "ValueError: плохо" in json.loads(text)["exception"]


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="cluster_portal.settings")
    code = ("import django; django.setup(); import logging, sentry_sdk; from django.conf import settings; "
            "print(sentry_sdk.get_client().is_active(), type(logging.getLogger().handlers[0].formatter).__name__)")
    return subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=clean, capture_output=True,
                          text=True, timeout=60)


def test_log_json_and_sentry_from_the_environment():
    result = run_settings(LOG_JSON="1", SENTRY_DSN="https://public@errors.example.org/1")
    assert result.stdout.split() == ["True", "JsonFormatter"], result.stderr
    assert run_settings().stdout.split() == ["False", "NoneType"]  # the plain console lines
