"""Uploads of plan and disbursement files run as background jobs (``dondoc.jobs``, ADR 0011): the page stores the
file and a job row, a worker checks it (dry run → "preview"); the admin's confirmation queues a second job that
imports it ("done", or "rejected" if the data changed in between). This module holds the two handlers, registered
by the composition layer (``dondoc/home/jobs.py``), and what the pages say about a job."""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from dondoc.core import clock
from dondoc.jobs.models import Job
from dondoc.jobs.runner import Outcome, Progress, checked

from . import importers

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
KINDS = ("investment.plans", "investment.disbursements")


def _run(job: Job, progress: Progress) -> Outcome:
    path = Path(default_storage.path(job.file))
    opts = job.options or {}
    as_of = clock.parse_date(opts["as_of"]) if opts.get("as_of") else None
    unit = importers.UNITS.get(opts.get("unit") or "")
    common = {"path": path, "name": job.file_name, "as_of": as_of, "unit": unit, "year": opts.get("year"),
              "dry_run": job.dry_run, "actor": job.created_by, "progress": progress}
    if job.kind == "investment.plans":
        out = importers.import_plans(assigner=opts.get("assigner") or "tinh", decision=opts.get("decision") or "",
                                     revised=bool(opts.get("revised")), **common)
    else:
        out = importers.import_disbursements(**common)
    return Outcome(checked(ok=out.ok, dry_run=job.dry_run), result=out.as_job_result())


run_plans = run_disbursements = _run


def describe(job: Job) -> str:
    return {
        Job.State.QUEUED: _("Waiting to start…"), Job.State.RUNNING: _("Reading the file…"),
        Job.State.PREVIEW: _("Checked: nothing is written until you confirm."),
        Job.State.DONE: _("Imported."), Job.State.REJECTED: _("Rejected: nothing was written."),
        Job.State.FAILED: _("The import failed."),
    }[job.state]
