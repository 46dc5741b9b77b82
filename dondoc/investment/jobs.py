"""Uploads through the page run as jobs: a row in ImportJob, the file in the media storage, processed by
``run_pending()`` — from a thread started after the upload's commit, or by the sweeper `dondoc run_jobs`.

The import holds the database's write lock for its whole transaction (SQLite), so progress is not written to
the database: the runner writes it to a small JSON file beside the upload, which the page polls.
A job first checks the file (dry run → state "preview"); the admin's confirmation queues a second job that
imports it (state "done", or "rejected" if the data changed in between). Every change of a job's state goes
through an audited action (``actions.start_job``/``finish_job``/``fail_stale_jobs``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc.core import audit, clock

from . import actions, importers
from .models import ImportJob

log = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
_LOCK = threading.Lock()


def _progress_path(job: ImportJob) -> Path:
    return Path(default_storage.path(job.file)).with_suffix(".progress.json")


def progress_of(job: ImportJob) -> dict:
    try:
        return json.loads(_progress_path(job).read_text())
    except (OSError, ValueError):
        return {"rows": 0, "fraction": 0.0}


@transaction.atomic
def create_job(*, actor, kind: str, uploaded, options: dict) -> ImportJob:
    """Store the upload and queue its check. The web request returns at once; the job runs after commit."""
    suffix = Path(uploaded.name).suffix.lower()
    stored = default_storage.save(f"investment/imports/{uuid.uuid4().hex}{suffix}", uploaded)
    job = ImportJob.objects.create(kind=kind, file=stored, file_name=uploaded.name[:255], size=uploaded.size,
                                   options=options, dry_run=True, created_by=actor)
    audit.record(actor=actor, kind="investment.job_create", target=job,
                 new={"kind": kind, "file": job.file_name, "size": job.size, "options": options})
    transaction.on_commit(start)
    return job


@transaction.atomic
def confirm_job(*, actor, job: ImportJob) -> ImportJob:
    """Queue the import of a checked file (its preview had no error)."""
    if job.state != ImportJob.State.PREVIEW or not job.dry_run:
        raise ValueError("only a checked file can be imported")
    follow = ImportJob.objects.create(kind=job.kind, file=job.file, file_name=job.file_name, size=job.size,
                                      options=job.options, dry_run=False, created_by=actor)
    audit.record(actor=actor, kind="investment.job_confirm", target=follow, new={"checked_by_job": job.pk})
    transaction.on_commit(start)
    return follow


def start() -> None:
    """Process the queue now: inline when settings.DONDOC_JOBS_INLINE (tests), else in a daemon thread."""
    if getattr(settings, "DONDOC_JOBS_INLINE", False):
        run_pending()
        return
    threading.Thread(target=_thread_main, name="dondoc-import-job", daemon=True).start()


def _thread_main() -> None:
    close_old_connections()
    try:
        run_pending()
    except Exception:  # the job row says what failed; the thread must not die noisily
        log.exception("import job runner failed")
    finally:
        connection.close()


STALE_AFTER = dt.timedelta(hours=2)


def run_pending(limit: int | None = None) -> int:
    """Run queued jobs one after the other; a job claimed by another runner is skipped. Returns jobs run.
    A job left "running" for hours (its process was stopped) is marked failed: its transaction was rolled back."""
    done = 0
    with _LOCK:  # one runner per process: imports write to the same tables
        now = timezone.now()
        actions.fail_stale_jobs(started_before=now - STALE_AFTER, now=now)
        while limit is None or done < limit:
            job_id = ImportJob.objects.filter(state=ImportJob.State.QUEUED).order_by("id").values_list(
                "id", flat=True).first()
            if job_id is None:
                break
            job = actions.start_job(job_id=job_id, now=timezone.now())
            if job is not None:
                run_job(job)
                done += 1
    return done


def run_job(job: ImportJob) -> ImportJob:
    path = Path(default_storage.path(job.file))
    progress_file = _progress_path(job)

    def progress(rows: int, fraction: float) -> None:
        progress_file.write_text(json.dumps({"rows": rows, "fraction": round(fraction, 3)}))

    opts = job.options or {}
    as_of = clock.parse_date(opts["as_of"]) if opts.get("as_of") else None
    unit = importers.UNITS.get(opts.get("unit") or "")
    actor = job.created_by
    try:
        if job.kind == "plans":
            out = importers.import_plans(path=path, name=job.file_name, as_of=as_of, unit=unit,
                                         year=opts.get("year"), assigner=opts.get("assigner") or "tinh",
                                         decision=opts.get("decision") or "", revised=bool(opts.get("revised")),
                                         dry_run=job.dry_run, actor=actor, progress=progress)
        else:
            out = importers.import_disbursements(path=path, name=job.file_name, as_of=as_of, unit=unit,
                                                 year=opts.get("year"), dry_run=job.dry_run, actor=actor,
                                                 progress=progress)
    except Exception as exc:  # a bug, not bad input: keep the job row honest
        log.exception("import job %s failed", job.pk)
        return actions.finish_job(job=job, state=ImportJob.State.FAILED, now=timezone.now(),
                                  error=f"{type(exc).__name__}: {exc}")
    if not out.ok:
        state = ImportJob.State.REJECTED
    else:
        state = ImportJob.State.PREVIEW if job.dry_run else ImportJob.State.DONE
    actions.finish_job(job=job, state=state, now=timezone.now(), result=out.as_job_result(), batch_id=out.batch_id)
    progress(out.rows, 1.0)
    return job


def describe(job: ImportJob) -> str:
    return {
        ImportJob.State.QUEUED: _("Waiting to start…"), ImportJob.State.RUNNING: _("Reading the file…"),
        ImportJob.State.PREVIEW: _("Checked: nothing is written until you confirm."),
        ImportJob.State.DONE: _("Imported."), ImportJob.State.REJECTED: _("Rejected: nothing was written."),
        ImportJob.State.FAILED: _("The import failed."),
    }[job.state]
