"""The program document upload of `/programs/` as a background job (ADR 0011): a worker reads the document and
creates the draft the administrator then reviews; the job's result names the draft."""

from __future__ import annotations

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from dondoc.jobs.models import Job
from dondoc.jobs.runner import Outcome, Progress

from . import actions
from .services import ParseError, parse_upload

KIND = "programs.document"


def run_document(job: Job, progress: Progress) -> Outcome:
    with default_storage.open(job.file, "rb") as fh:
        try:
            parsed = parse_upload(File(fh, name=job.file_name))
        except ParseError as exc:
            return Outcome(Job.State.REJECTED,
                           error=_("The document could not be read: %(reason)s") % {"reason": exc})
    draft = actions.create_import(actor=job.created_by, parsed=parsed, source_name=job.file_name)
    progress(len(parsed.get("tasks", [])), 1.0)
    return Outcome(Job.State.DONE, result={"draft": draft.pk, "tasks": len(parsed.get("tasks", []))})
