"""Writes to the investment register. Each atomic and audited, the imports' and the import jobs' included:
``import_batch`` is the one write path of a plan or disbursement file (its rows are written in bulk inside it),
``create_investor``/``create_project`` the register entries a plan file brings, ``*_job`` the upload queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.core import audit, clock
from dondoc.domain import disbursement as rules_mod

from .models import Commitment, ImportBatch, ImportJob, Investor, Project, Rule, RuleSet


@transaction.atomic
def load_rules(*, actor, year: int, program=None, denominator: str = rules_mod.TINH) -> RuleSet | None:
    """Store the rules the program states for ``year`` (once; later edits are kept). None if it states none."""
    existing = RuleSet.objects.filter(year=year).first()
    if existing is not None:
        return existing
    from dondoc.programs.models import ActionProgram

    from .queries import rules_from_programs

    derived = rules_from_programs(year)
    if not derived.milestones and derived.cut is None:
        return None
    if program is None:
        program = ActionProgram.objects.order_by("-issued_on").first()
    ruleset = RuleSet.objects.create(year=year, denominator=denominator, program=program)
    for m in derived.milestones:
        Rule.objects.create(ruleset=ruleset, kind=Rule.Kind.MILESTONE, capital=m.capital, op=m.op, percent=m.percent,
                            due_on=m.due, literal=m.literal, task=m.task)
    if derived.cut:
        c = derived.cut
        Rule.objects.create(ruleset=ruleset, kind=Rule.Kind.CUT, capital=Rule.Capital.CURRENT, op="<",
                            percent=c.percent, due_on=c.due, literal=c.literal, task=c.task)
    audit.record(actor=actor, kind="investment.rules_load", target=ruleset,
                 new={"year": year, "denominator": denominator,
                      "rules": [str(r) for r in ruleset.rules.all()]})
    return ruleset


@transaction.atomic
def set_schedule(*, actor, project: Project, year: int, months: dict[int, int]) -> int:
    """The investor's committed schedule of a project for ``year`` (month -> đồng). Returns the months changed."""
    if actor is not None and not access.can(actor, "investment.commit", project):
        raise PermissionDenied(_("You may not change this project's committed schedule."))
    if any(m < 1 or m > 12 for m in months) or any(v < 0 for v in months.values()):
        raise ValidationError(_("A committed schedule has twelve months of amounts that are not negative."))
    stored = {c.month: c for c in Commitment.objects.filter(project=project, year=year)}
    old, new = {}, {}
    today = clock.today()
    for month, amount in sorted(months.items()):
        current = stored.get(month)
        if current is None:
            if amount:
                Commitment.objects.create(project=project, year=year, month=month, amount=amount, committed_on=today)
                old[month], new[month] = None, amount
        elif current.amount != amount:
            old[month], new[month] = current.amount, amount
            current.amount, current.committed_on = amount, today
            current.save(update_fields=["amount", "committed_on"])
    if new:
        audit.record(actor=actor, kind="investment.schedule", target=project, agency=project.investor.agency,
                     old={str(k): v for k, v in old.items()}, new={"year": year, **{str(k): v for k, v in new.items()}})
    return len(new)


@transaction.atomic
def link_investor(*, actor, investor: Investor, agency) -> Investor:
    """Set the agency an investor rolls up to (province admin)."""
    if actor is not None and not access.can(actor, "investment.manage"):
        raise PermissionDenied(_("Only the province administrator links investors to agencies."))
    if investor.agency_id == (agency.pk if agency else None):
        return investor
    old = {"agency": investor.agency.code if investor.agency else None}
    investor.agency = agency
    investor.save(update_fields=["agency"])
    audit.record(actor=actor, kind="investment.investor_link", target=investor, agency=agency, old=old,
                 new={"agency": agency.code if agency else None})
    return investor


# Imports ---------------------------------------------------------------------------------------------------------


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def import_batch(*, actor, kind: str, file_name: str, file_hash: str, as_of: dt.date | None, options: dict,
                 dry_run: bool, apply: Callable) -> ImportBatch | None:
    """One imported file, all or nothing: in one transaction, create the batch, let ``apply(batch)`` write its rows
    (through the actions below, or in bulk for disbursements) and return the import's result, then store the counts
    and record one audit event. Rolled back when the result has errors, when nothing was new (no batch, no event)
    and on a dry run. Returns the batch kept, or None. Errors ``apply`` raises roll back and propagate."""
    with transaction.atomic():
        batch = ImportBatch.objects.create(kind=kind, file_name=file_name[:255], file_hash=file_hash, as_of=as_of,
                                           actor=_user(actor), options=options)
        out = apply(batch)
        if not out.ok or out.created == 0:
            transaction.set_rollback(True)
            return None
        batch.rows, batch.created, batch.unchanged = out.rows, out.created, out.unchanged
        batch.total_amount, batch.warnings = out.total_amount, [w.as_dict() for w in out.warnings[:100]]
        batch.save(update_fields=["rows", "created", "unchanged", "total_amount", "warnings"])
        audit.record(actor=actor, kind=f"investment.import_{kind}", target=batch,
                     new={"file": batch.file_name, "file_hash": batch.file_hash, "rows": out.rows,
                          "projects": len(out.projects), "created": out.created, "unchanged": out.unchanged,
                          "total_amount": out.total_amount, "warnings": len(out.warnings)})
        if dry_run:
            transaction.set_rollback(True)
            return None
        return batch


@transaction.atomic
def create_investor(*, actor, name: str, agency, batch: ImportBatch | None = None) -> Investor:
    """A new investor (from a plan file: ``batch``); ``agency`` is the registry agency it rolls up to, or None."""
    investor = Investor.objects.create(name=name, agency=agency)
    audit.record(actor=actor, kind="investment.investor_create", target=investor, agency=agency,
                 new={"name": name, "agency": agency.code if agency else None, "batch": batch})
    return investor


@transaction.atomic
def create_project(*, actor, code: str, name: str, investor: Investor, group: str = "", district: str = "",
                   total_investment: int | None = None, leader: str = "", batch: ImportBatch | None = None) -> Project:
    """A new project of the register (from a plan file: ``batch``)."""
    project = Project.objects.create(code=code, name=name[:500], investor=investor, group=group[:16],
                                     district=district[:100], total_investment=total_investment, leader=leader[:255])
    audit.record(actor=actor, kind="investment.project_create", target=project, agency=investor.agency,
                 new={"code": code, "name": project.name, "investor": investor.name, "group": project.group,
                      "district": project.district, "total_investment": total_investment, "batch": batch})
    return project


# Import jobs (uploads through the page; ``jobs.py`` runs them) ------------------------------------------------------


@transaction.atomic
def start_job(*, job_id: int) -> ImportJob | None:
    """Claim a queued job for this runner (queued → running); None when another runner has it."""
    if ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
            state=ImportJob.State.RUNNING, started_at=timezone.now()) != 1:
        return None
    job = ImportJob.objects.get(pk=job_id)
    audit.record(actor=None, kind="investment.job_start", target=job, old={"state": ImportJob.State.QUEUED},
                 new={"state": job.state})
    return job


@transaction.atomic
def finish_job(*, job: ImportJob, state: str, result: dict | None = None, batch_id: int | None = None,
               error: str = "") -> ImportJob:
    """The end of a job: preview, done, rejected or failed, with its result or error."""
    old = job.state
    job.state, job.result, job.batch_id, job.error = state, result, batch_id, error
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "result", "batch", "error", "finished_at"])
    audit.record(actor=None, kind="investment.job_finish", target=job, old={"state": old},
                 new={"state": state, "batch": batch_id, "error": error[:500],
                      "rows": (result or {}).get("rows"), "errors": (result or {}).get("error_count")})
    return job


@transaction.atomic
def fail_stale_jobs(*, started_before: dt.datetime) -> int:
    """Jobs left running since before ``started_before`` (their process stopped; their import was rolled back)."""
    stale = list(ImportJob.objects.filter(state=ImportJob.State.RUNNING, started_at__lt=started_before))
    for job in stale:
        finish_job(job=job, state=ImportJob.State.FAILED, result=job.result,
                   error="interrupted (the process running it stopped)")
    return len(stale)
