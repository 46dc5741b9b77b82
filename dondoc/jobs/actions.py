"""Every change of a background job's state, audited. Times here are real time (operations, not business time):
the adapter or the runner reads ``timezone.now()`` and passes it as ``at``."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction

from dondoc.core import audit

from .models import Job


def _enqueue(job_id: int) -> None:
    from .tasks import execute  # the task module imports the runner, which imports these actions

    transaction.on_commit(lambda: execute.enqueue(job_id))


@transaction.atomic
def create_job(*, actor, kind: str, uploaded, options: dict, at: dt.datetime, dry_run: bool = True,
               folder: str = "uploads") -> Job:
    """Store the upload and queue the job. The web request returns at once; a worker runs it after commit."""
    suffix = Path(uploaded.name).suffix.lower()
    stored = default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}", uploaded)
    job = Job.objects.create(kind=kind, file=stored, file_name=uploaded.name[:255], size=uploaded.size,
                             options=options, dry_run=dry_run, created_by=actor)
    audit.record(actor=actor, kind="jobs.create", target=job, at=at,
                 new={"kind": kind, "file": job.file_name, "size": job.size, "options": options, "dry_run": dry_run})
    _enqueue(job.pk)
    return job


@transaction.atomic
def confirm_job(*, actor, job: Job, at: dt.datetime) -> Job:
    """Queue the real run of a checked file (its preview had no error): a new job on the same file, once (a
    double click or two administrators confirming the same check queue one import)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.state != Job.State.PREVIEW or not job.dry_run:
        raise ValueError("only a checked file can be confirmed")
    if Job.objects.filter(follows=job).exists():
        raise ValueError("this check was already confirmed")
    follow = Job.objects.create(kind=job.kind, file=job.file, file_name=job.file_name, size=job.size,
                                options=job.options, dry_run=False, follows=job, created_by=actor)
    audit.record(actor=actor, kind="jobs.confirm", target=follow, at=at, new={"checked_by_job": job.pk})
    _enqueue(follow.pk)
    return follow


@transaction.atomic
def start_job(*, job_id: int, worker_id: str, at: dt.datetime) -> Job | None:
    """Claim a queued job (queued → running) for ``worker_id``; None when another runner has it. The conditional
    UPDATE is the claim: two workers can never both run a job."""
    if Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started_at=at, worker_id=worker_id[:64]) != 1:
        return None
    job = Job.objects.get(pk=job_id)
    audit.record(actor=None, kind="jobs.start", target=job, at=at, old={"state": Job.State.QUEUED},
                 new={"state": job.state, "worker": worker_id})
    return job


@transaction.atomic
def finish_job(*, job: Job, state: str, at: dt.datetime, result: dict | None = None, error: str = "") -> Job:
    """The end of a running job: preview, done, rejected or failed, with its result or error. A job no longer
    running (declared orphaned meanwhile) keeps its state."""
    updated = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
        state=state, result=result, error=error, finished_at=at,
        progress=1.0 if state != Job.State.FAILED else job.progress)
    job.refresh_from_db()
    if updated:
        audit.record(actor=None, kind="jobs.finish", target=job, at=at, old={"state": Job.State.RUNNING},
                     new={"state": state, "error": error[:500], "rows": (result or {}).get("rows"),
                          "errors": (result or {}).get("error_count")})
    return job


@transaction.atomic
def fail_orphans(*, jobs: list[Job], message: str, at: dt.datetime) -> int:
    """Jobs whose worker stopped while running them: what their import wrote was rolled back with the process, or
    is a staging batch no reader sees, discarded by the next import (ADR 0012)."""
    done = 0
    for job in jobs:
        if Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker_id=job.worker_id).update(
                state=Job.State.FAILED, error=message, finished_at=at) != 1:
            continue
        audit.record(actor=None, kind="jobs.orphaned", target=job, at=at, old={"state": Job.State.RUNNING},
                     new={"state": Job.State.FAILED, "worker": job.worker_id, "error": message})
        done += 1
    if done:
        _close_orphaned_tasks({job.pk for job in jobs}, message)
    return done


def _close_orphaned_tasks(job_ids: set[int], message: str) -> None:
    """The queue's own rows of those jobs stay RUNNING when their worker is killed: mark them failed too, so the
    task table tells the same story as the job rows."""
    from django_tasks_db.models import DBTaskResult

    from .tasks import execute

    for task in DBTaskResult.objects.running().filter(task_path=execute.module_path):
        args = (task.args_kwargs or {}).get("args") or [None]
        if args[0] in job_ids:
            task.set_failed(RuntimeError(message))
