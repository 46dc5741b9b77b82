"""The dossier import of `/deadlines/import/` as a background job (ADR 0011): the page stores the file, a worker
parses and applies it; the job's result holds the report the page prints."""

from __future__ import annotations

from django.core.files.storage import default_storage

from dondoc.jobs.models import Job
from dondoc.jobs.runner import Outcome, Progress, checked

from . import importers

KIND = "deadlines.dossiers"


def run_dossiers(job: Job, progress: Progress) -> Outcome:
    with default_storage.open(job.file, "rb") as fh:
        data = fh.read()
    report = importers.run_dossiers(name=job.file_name, data=data, dry_run=job.dry_run, actor=job.created_by,
                                    user=job.created_by, progress=progress)
    progress(report.rows, 1.0)
    return Outcome(checked(ok=report.ok, dry_run=job.dry_run), result={**report.as_dict(), "lines": importers.text_lines(report)})
