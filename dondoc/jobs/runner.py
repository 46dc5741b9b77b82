"""Run background jobs: the table of job kinds (filled by the composition layer, ``dondoc/home/jobs.py``), the run
of one job (claim → handler → finish), its live progress, and the detection of jobs whose worker died.

A handler is ``handler(job, progress) -> Outcome``; it reads the job's stored file and options and writes through
its feature's actions, all or nothing. ``progress(rows, fraction)`` only records numbers in memory: in a worker a
small thread copies them to the job row every half second in its own short transaction (its own connection, so a
handler's open transaction neither hides nor rolls them back), and skips a write when the database is busy.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dondoc.core import logs
from dondoc.core.models import WorkerHeartbeat

from . import actions
from .models import Job

log = logging.getLogger(__name__)

Progress = Callable[[int, float], None]


@dataclass(frozen=True)
class Outcome:
    state: str
    result: dict | None = None
    error: str = ""


@dataclass(frozen=True)
class Kind:
    label: object  # a lazy translated label
    handler: Callable[[Job, Progress], Outcome] = field(repr=False)


def checked(*, ok: bool, dry_run: bool) -> str:
    """The end state of a file check or import: rejected (errors, nothing written), preview (a clean check, waiting
    for confirmation) or done."""
    if not ok:
        return Job.State.REJECTED
    return Job.State.PREVIEW if dry_run else Job.State.DONE


KINDS: dict[str, Kind] = {}


def register(kinds: dict[str, Kind]) -> None:
    """Called once by the composition layer (``dondoc.home``) with every feature's job kinds."""
    KINDS.update(kinds)


def label(kind: str):
    return KINDS[kind].label if kind in KINDS else kind


# The process's runner identity: a worker sets it at start; "" when tasks run inside the web process (tests).
_runner = {"id": "", "current": ""}


def set_runner(worker_id: str) -> None:
    _runner["id"] = worker_id


def current() -> str:
    return _runner["current"]


PROGRESS_EVERY = 0.5


class _ProgressWriter:
    def __init__(self, job_id: int, live: bool):
        self.job_id, self.rows, self.fraction, self.written = job_id, 0, 0.0, (0, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"job-{job_id}-progress", daemon=True) if live else None
        if self._thread:
            self._thread.start()

    def report(self, rows: int, fraction: float) -> None:
        self.rows, self.fraction = rows, max(0.0, min(1.0, fraction))

    def _loop(self) -> None:
        try:
            while not self._stop.wait(PROGRESS_EVERY):
                self._write()
        finally:
            connection.close()

    def _write(self) -> None:
        now = (self.rows, round(self.fraction, 3))
        if now == self.written:
            return
        try:  # autocommit: one short UPDATE
            Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(progress_rows=now[0], progress=now[1])
        except DatabaseError:  # busy or locked: the next tick tries again
            return
        self.written = now

    def stop(self) -> None:
        if self._thread:
            self._stop.set()
            self._thread.join(timeout=1)


def run(job_id: int) -> Job | None:
    """Run one job if it is still queued (another runner may have claimed it). Returns the finished job."""
    worker_id = _runner["id"] or f"web:{socket.gethostname()}:{os.getpid()}"
    job = actions.start_job(job_id=job_id, worker_id=worker_id, at=timezone.now())
    if job is None:
        return None
    started = time.monotonic()
    _runner["current"] = f"{job.kind} #{job.pk} {job.file_name}"[:255]
    writer = _ProgressWriter(job.pk, live=bool(_runner["id"]))
    try:
        kind = KINDS.get(job.kind)
        if kind is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        outcome = kind.handler(job, writer.report)
    except Exception as exc:  # a bug, not bad input: keep the job row honest
        log.exception("job %s (%s) failed", job.pk, job.kind)
        outcome = Outcome(Job.State.FAILED, error=f"{type(exc).__name__}: {exc}")
    except BaseException:  # SIGTERM twice / SystemExit mid-job: the handler's transaction was rolled back
        writer.stop()
        actions.finish_job(job=job, state=Job.State.FAILED, at=timezone.now(), error=stopped_message())
        raise
    finally:
        writer.stop()
        _runner["current"] = ""
    finished = actions.finish_job(job=job, state=outcome.state, at=timezone.now(), result=outcome.result,
                                  error=outcome.error)
    logs.log_job(job.kind, outcome.state, time.monotonic() - started, job=job.pk, rows=writer.rows)
    return finished


def run_pending(limit: int | None = None) -> int:
    """Run queued jobs one after the other in this process (the `dondoc run_jobs` fallback, and tests): the same
    ``run()`` a worker's task calls. Returns the number of jobs run."""
    fail_orphans()
    done = 0
    while limit is None or done < limit:
        job_id = Job.objects.filter(state=Job.State.QUEUED).order_by("id").values_list("id", flat=True).first()
        if job_id is None:
            break
        if run(job_id) is not None:
            done += 1
    return done


# Jobs whose worker died ------------------------------------------------------------------------------------------

STALE_HEARTBEAT = 600  # seconds without a heartbeat from a worker on another machine
STALE_WITHOUT_WORKER = 2 * 3600  # a job run by a process without heartbeat (the web process in tests)


def stopped_message() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("The worker stopped during the job; nothing was written. Upload the file again.")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def orphans(now=None) -> list[Job]:
    """Running jobs whose runner is gone: its heartbeat says it stopped, its process is not alive on this machine,
    or (on another machine) it has not beaten for STALE_HEARTBEAT seconds."""
    now = now or timezone.now()
    me = _runner["id"]
    running = [j for j in Job.objects.filter(state=Job.State.RUNNING) if not me or j.worker_id != me]
    beats = {b.worker_id: b for b in WorkerHeartbeat.objects.filter(worker_id__in={j.worker_id for j in running})}
    host = socket.gethostname()
    out = []
    for job in running:
        beat = beats.get(job.worker_id)
        if beat is None:
            dead = job.started_at is None or (now - job.started_at).total_seconds() > STALE_WITHOUT_WORKER
        elif beat.stopped_at is not None:
            dead = True
        elif beat.hostname == host and beat.pid:
            dead = beat.pid == os.getpid() or not _alive(beat.pid)
        else:
            dead = (now - beat.seen_at).total_seconds() > STALE_HEARTBEAT
        if dead:
            out.append(job)
    return out


def fail_orphans() -> int:
    now = timezone.now()
    found = orphans(now)
    if not found:
        return 0
    count = actions.fail_orphans(jobs=found, message=stopped_message(), at=now)
    log.warning("marked %s job(s) failed: their worker stopped", count)
    return count
