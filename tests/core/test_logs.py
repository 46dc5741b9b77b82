"""Structured logs: the operator's collector gets one parseable JSON line per request, per job and per 500."""

import json
import logging

import pytest
from django.test import Client, override_settings
from django.urls import path

from dondoc.core.logs import JsonFormatter, log_job


def _boom(request):
    raise RuntimeError("kaboom")


urlpatterns = [path("boom/", _boom)]


def console_formatter() -> logging.Formatter:
    """The formatter of the stderr handler configured by settings.LOGGING (not pytest's capture handlers)."""
    handlers = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    assert len(handlers) == 1
    return handlers[0].formatter


def lines(caplog, logger: str) -> list[dict]:
    return [json.loads(console_formatter().format(r)) for r in caplog.records if r.name == logger]


@pytest.mark.django_db
def test_a_request_is_one_json_line_with_who_what_how_long(client_for, personas, caplog):
    caplog.set_level(logging.INFO, logger="dondoc.request")
    response = client_for("officer").get("/reports/", {"q": "Nguyễn Văn A"}, HTTP_X_REQUEST_ID="proxy-42")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-42"
    (line,) = lines(caplog, "dondoc.request")
    assert line["method"] == "GET" and line["path"] == "/reports/" and line["status"] == 200
    assert line["user_id"] == personas.officer.pk and line["request_id"] == "proxy-42"
    assert isinstance(line["duration_ms"], float) and line["time"].endswith("+00:00")
    assert "Nguyễn" not in json.dumps(line, ensure_ascii=False)  # no query string: it may name people


def test_a_request_without_a_usable_id_gets_a_new_one(client, caplog):
    caplog.set_level(logging.INFO, logger="dondoc.request")
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="bad id\nforged line")
    rid = response["X-Request-ID"]
    assert len(rid) == 32 and "\n" not in rid
    (line,) = lines(caplog, "dondoc.request")
    assert line["request_id"] == rid and line["user_id"] is None and line["status"] == 200


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_logged_as_json_with_its_traceback_and_request_id(caplog):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    (error,) = lines(caplog, "django.request")
    assert error["level"] == "ERROR" and error["status"] == 500 and error["path"] == "/boom/"
    assert "RuntimeError: kaboom" in error["traceback"]
    assert error["request_id"] == response["X-Request-ID"]


def test_a_job_run_is_one_json_line(caplog):
    caplog.set_level(logging.INFO, logger="dondoc.background")
    log_job("send_outbox", "ok", 0.0123, sent=3)
    log_job("import_dossiers", "failed", 2.5, error="file unreadable")
    ok, failed = (json.loads(JsonFormatter().format(r)) for r in caplog.records)
    assert ok | {"time": None} == {"time": None, "level": "INFO", "logger": "dondoc.background", "job": "send_outbox",
                                   "status": "ok", "duration_ms": 12.3, "sent": 3,
                                   "message": "job send_outbox ok in 12 ms"}
    assert failed["level"] == "ERROR" and failed["error"] == "file unreadable" and failed["duration_ms"] == 2500.0


JOB_LINE = ["shell", "--no-imports", "-c", "from dondoc.core.logs import log_job; log_job('send_outbox', 'ok', 0.5, sent=2)"]


def test_outside_debug_a_real_process_writes_json_lines_on_stderr_and_debug_keeps_plain_text(tmp_path):
    from tests.core.test_settings_and_clock import PRODUCTION, run

    production = run(JOB_LINE, tmp_path, **PRODUCTION)
    (line,) = [json.loads(x) for x in production.stderr.splitlines() if x.startswith("{")]
    assert line["job"] == "send_outbox" and line["sent"] == 2 and line["duration_ms"] == 500.0
    development = run(JOB_LINE, tmp_path, DONDOC_DEBUG="1")
    assert "INFO dondoc.background job send_outbox ok in 500 ms" in development.stderr
    assert not any(x.startswith("{") for x in development.stderr.splitlines())
