"""What the operator needs to know: is the database answering, is a worker alive, did each sweeper run when it
should and succeed, how many e-mails wait in the outbox. Read by /healthz (JSON, for a monitor) and the
operations page (for the province administrator). Real time throughout (``timezone.now()``), never the product's
business clock. Rules (docs/operations.md, "Health"):

- database: a ``SELECT 1`` answers;
- worker: at least one worker not stopped has beaten within WORKER_STALE;
- each scheduled sweeper: its latest run did not fail, and a run started after the scheduled instant that was due
  HEALTH_GRACE ago (a sweeper that never ran is overdue);
- the outbox backlog is reported, not judged (a mail server that is down shows there, and in each message's error).
"""

from __future__ import annotations

import datetime as dt

from django.db import DatabaseError, connection

from dondoc.core.models import SweeperRun, WorkerHeartbeat
from dondoc.core.scheduler import HEALTH_GRACE, Sweeper, installed_schedule, local
from dondoc.domain import schedule
from dondoc.outbox.actions import MAX_ATTEMPTS, due_for_sending
from dondoc.outbox.models import Channel, Message, State

WORKER_STALE = dt.timedelta(seconds=60)  # the worker beats every few seconds


def _iso(value: dt.datetime | None) -> str | None:
    return local(value).isoformat(timespec="seconds") if value else None


def ping() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def worker_health(now: dt.datetime) -> dict:
    live = WorkerHeartbeat.objects.filter(stopped_at__isnull=True)
    alive = live.filter(seen_at__gte=now - WORKER_STALE).count()
    last_seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return {"status": "ok" if alive else "down", "alive": alive, "last_seen": _iso(last_seen),
            "stale_after_seconds": int(WORKER_STALE.total_seconds())}


def sweeper_health(sweeper: Sweeper, now: dt.datetime, last: SweeperRun | None) -> dict:
    if last is not None and last.status == SweeperRun.Status.FAILED:
        status = "failed"
    elif schedule.overdue(sweeper.spec, last.started_at if last else None, local(now), HEALTH_GRACE):
        status = "overdue"
    else:
        status = "ok"
    return {
        "status": status, "schedule": str(sweeper.spec),
        "last_started": _iso(last.started_at if last else None),
        "last_finished": _iso(last.finished_at if last else None),
        "last_result": last.status if last else None,
    }


def last_runs(names) -> dict[str, SweeperRun]:
    """The latest run of each named sweeper (one query per sweeper on the (name, -started_at) index)."""
    runs = {}
    for name in names:
        run = SweeperRun.objects.filter(name=name).order_by("-started_at", "-id").first()
        if run is not None:
            runs[name] = run
    return runs


def outbox_backlog() -> dict:
    oldest = due_for_sending().values_list("created_at", flat=True).first()
    return {
        "unsent": due_for_sending().count(),
        "given_up": Message.objects.filter(channel=Channel.EMAIL, state=State.FAILED,
                                           attempts__gte=MAX_ATTEMPTS).count(),
        "oldest_unsent": oldest,
    }


def health(now: dt.datetime) -> dict:
    """The /healthz document; ``status`` is "ok" only when every part is."""
    try:
        ping()
    except DatabaseError:
        return {"status": "down", "database": "down", "worker": {"status": "unknown"}, "sweepers": {},
                "outbox": None}
    sweepers = installed_schedule()
    runs = last_runs(s.name for s in sweepers)
    backlog = outbox_backlog()
    report = {
        "database": "ok",
        "worker": worker_health(now),
        "sweepers": {s.name: sweeper_health(s, now, runs.get(s.name)) for s in sweepers},
        "outbox": {**backlog, "oldest_unsent": _iso(backlog["oldest_unsent"])},
    }
    up = report["worker"]["status"] == "ok" and all(v["status"] == "ok" for v in report["sweepers"].values())
    return {"status": "ok" if up else "down", **report}
