"""Structured logs: one JSON object per line on stderr, for the operator's log collector (journald, Loki…).

Settings (dondoc/settings.py LOGGING) put ``JsonFormatter`` on the console handler outside DEBUG, or whenever
``DONDOC_LOG_FORMAT=json``; ``DONDOC_LOG_FORMAT=text`` keeps plain lines. What is logged:

- every HTTP request, by ``dondoc.core.middleware.RequestLogMiddleware`` on the ``dondoc.request`` logger:
  ``{"time", "level", "logger", "message", "method", "path", "status", "duration_ms", "user_id", "request_id"}``
  (the path without its query string: search boxes put people's names there);
- every background job or sweeper run, through ``log_job`` on the ``dondoc.background`` logger;
- Django's own errors (a 500 with its traceback under ``"traceback"``), and any other warning, as JSON too.

Every line written while a request is being served carries that request's ``request_id`` (the ``X-Request-ID``
header the proxy sent, or one generated), so a traceback can be matched with its request line.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("dondoc_request_id", default=None)

jobs_logger = logging.getLogger("dondoc.background")

# Attributes every LogRecord has; anything else on a record was passed by the caller through ``extra``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, then the caller's ``extra``."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in out:
                out[key] = value
        # django.request's error records carry the request object and its status: keep what identifies them.
        request = out.pop("request", None)
        if request is not None and hasattr(request, "method"):
            out.setdefault("method", request.method)
            out.setdefault("path", request.path)
            if getattr(request, "request_id", None):
                out.setdefault("request_id", request.request_id)
        if "status_code" in out:
            out.setdefault("status", out.pop("status_code"))
        if "request_id" not in out and request_id.get():
            out["request_id"] = request_id.get()
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            out["traceback"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def log_job(name: str, status: str, duration: float, **fields) -> None:
    """Log one line for one run of a background job or sweeper, on the ``dondoc.background`` logger.

    ``name`` is the job or command (``"send_outbox"``, ``"import_dossiers"``), ``status`` what became of it
    (``"ok"``, ``"failed"``, ``"skipped"``…; ``"failed"`` and ``"error"`` are logged at ERROR, the rest at INFO),
    ``duration`` the run's length in seconds. Keyword ``fields`` are added to the JSON object as they are
    (keep them JSON-friendly and free of personal data): counts, ids, ``error="…"``. Call it once, at the end of
    the run, from the worker, the scheduler or the command::

        started = time.monotonic()
        ...
        log_job("send_outbox", "ok", time.monotonic() - started, sent=12, failed=0)

    Inside an ``except`` block, pass ``exc_info=True`` to add the traceback.
    """
    exc_info = fields.pop("exc_info", None)
    level = logging.ERROR if status in ("failed", "error") else logging.INFO
    extra = {"job": name, "status": status, "duration_ms": round(duration * 1000, 1), **fields}
    jobs_logger.log(level, "job %s %s in %.0f ms", name, status, duration * 1000, extra=extra, exc_info=exc_info)
