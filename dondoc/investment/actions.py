"""Writes to the investment register. Each atomic and audited: rules, schedules, investor links, declared needs, the
reallocation review (propose, adjust, approve, reject, reverse) and the imports' and import jobs' writes:
``import_checked`` (plan files: checked whole, then one short transaction of bulk statements, ``add_plan_entries``)
and ``import_staged`` (disbursement files: short transactions under a staging batch) the write paths of an imported
file, ``create_investor``/``create_project`` single register entries, ``*_job`` the upload queue."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.core import audit
from dondoc.core.bulk import PreparedRows
from dondoc.core.concurrency import check_version
from dondoc.domain import disbursement as rules_mod
from dondoc.domain.reallocation import UNIT
from dondoc.domain.text import search_key
from dondoc.domain.vn_numbers import format_money

from . import queries, summary
from .models import (
    Commitment,
    Disbursement,
    ImportBatch,
    Investor,
    PlanLine,
    Project,
    Proposal,
    ProposedTransfer,
    Rule,
    RuleSet,
)

FORM_KINDS = ("investment.schedule", "investment.additional_need",  # the saves of a project's edit forms
              "admin.project.change")  # Django's admin bumps the version too (core.admin)


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
def set_schedule(*, actor, project: Project, year: int, months: dict[int, int], at: dt.datetime,
                 version: int | None = None) -> int:
    """The investor's committed schedule of a project for ``year`` (month -> đồng), committed at ``at``. Returns the
    months changed. ``version``: the project's, as the form was opened (stale: ``StaleEdit``, nothing saved)."""
    if actor is not None and not access.can(actor, "investment.commit", project):
        raise PermissionDenied(_("You may not change this project's committed schedule."))
    if any(m < 1 or m > 12 for m in months) or any(v < 0 for v in months.values()):
        raise ValidationError(_("A committed schedule has twelve months of amounts that are not negative."))
    locked = Project.objects.select_for_update().get(pk=project.pk)
    stored = {c.month: c for c in Commitment.objects.filter(project=project, year=year)}
    check_version(locked, version, kinds=FORM_KINDS,
                  unchanged=all((stored[m].amount if m in stored else 0) == v for m, v in months.items()))
    old, new = {}, {}
    today = timezone.localdate(at)
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
        Project.objects.filter(pk=project.pk).update(version=F("version") + 1)
        audit.record(actor=actor, kind="investment.schedule", target=project, agency=project.investor.agency,
                     old={str(k): v for k, v in old.items()}, new={"year": year, **{str(k): v for k, v in new.items()}},
                     at=at)
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


@transaction.atomic
def declare_need(*, actor, project: Project, amount: int, version: int | None = None) -> Project:
    """The investor's declared additional need ("nhu cầu bổ sung vốn") of a project, in đồng (whole millions).
    ``version``: the project's, as the form was opened (stale: ``StaleEdit``, nothing saved)."""
    if actor is not None and not access.can(actor, "investment.commit", project):
        raise PermissionDenied(_("You may not declare this project's additional need."))
    if amount < 0 or amount % UNIT:
        raise ValidationError(_("An additional need is a whole number of million đồng, not negative."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    old = project.additional_need
    check_version(project, version, unchanged=old == amount, kinds=FORM_KINDS)
    if old != amount:
        project.additional_need = amount
        project.version += 1
        project.save(update_fields=["additional_need", "version"])
        audit.record(actor=actor, kind="investment.additional_need", target=project, agency=project.investor.agency,
                     old={"additional_need": old}, new={"additional_need": amount})
    return project


# Reallocation review (ADR 0005): the DPI ("investment.reallocate") proposes and adjusts, a leader
# ("investment.approve") approves, rejects or reverses. Approving and reversing add revised plan lines.


@transaction.atomic
def create_proposal(*, actor, as_of: dt.date, year: int | None = None) -> Proposal:
    if actor is not None and not access.can(actor, "investment.reallocate"):
        raise PermissionDenied(_("Only the Department of Planning and Investment prepares reallocation proposals."))
    analysis = queries.analyse_reallocation(as_of=as_of, year=year)
    transfers = analysis.result.transfers
    proposal = Proposal.objects.create(year=analysis.year, as_of=as_of, objective=analysis.objective,
                                       unplaced=analysis.result.unplaced, created_by=actor)
    ids = dict(Project.objects.filter(code__in={c for t in transfers for c in (t.source_code, t.target_code)})
               .values_list("code", "pk"))
    for t in transfers:
        donor_line = analysis.line(t.source_code, t.source, t.budget_level, t.year)
        ProposedTransfer.objects.create(
            proposal=proposal, donor_id=ids[t.source_code], receiver_id=ids[t.target_code], source=t.source,
            budget_level=t.budget_level, origin_year=t.year, proposed=t.amount, amount=t.amount,
            donor_limit=donor_line.surplus if donor_line else t.amount,
            receiver_limit=analysis.projects[t.target_code].need, why=analysis.why(t))
    audit.record(actor=actor, kind="investment.reallocation_propose", target=proposal,
                 new={"as_of": as_of.isoformat(), "year": analysis.year, "transfers": len(transfers),
                      "amount": sum(t.amount for t in transfers),
                      "objective": analysis.objective, "unplaced": analysis.result.unplaced})
    return proposal


def _check_draft(proposal: Proposal) -> None:
    if proposal.state != Proposal.State.DRAFT:
        raise ValidationError(_("This proposal has been decided; it can no longer be changed."))


@transaction.atomic
def adjust_transfer(*, actor, transfer: ProposedTransfer, amount: int, opened: int | None = None) -> ProposedTransfer:
    """Change (0 = remove) the amount of a transfer of a draft, within the donor's and the receiver's limits.
    ``opened``: the amount the page showed; the one value edited is its own version (ADR 0014): another
    reviewer changed it since, ``StaleEdit``, nothing saved."""
    if actor is not None and not access.can(actor, "investment.reallocate"):
        raise PermissionDenied(_("Only the Department of Planning and Investment adjusts reallocation proposals."))
    proposal = Proposal.objects.select_for_update().get(pk=transfer.proposal_id)  # serialises the adjustments
    _check_draft(proposal)
    if amount < 0 or amount % UNIT:
        raise ValidationError(_("A transfer is a whole number of million đồng, not negative."))
    transfer = proposal.transfers.get(pk=transfer.pk)
    check_version(transfer, opened, field="amount", unchanged=amount == transfer.amount)
    siblings = proposal.transfers.exclude(pk=transfer.pk)
    given = sum(t.amount for t in siblings.filter(donor=transfer.donor, source=transfer.source,
                                                  budget_level=transfer.budget_level,
                                                  origin_year=transfer.origin_year))
    if given + amount > transfer.donor_limit:
        raise ValidationError(_("Project %(code)s would give more than its forecast says it will not use "
                                "(%(limit)s million đồng).") % {"code": transfer.donor.code,
                                                               "limit": format_money(transfer.donor_limit)})
    taken = sum(t.amount for t in siblings.filter(receiver=transfer.receiver))
    if taken + amount > transfer.receiver_limit:
        raise ValidationError(_("Project %(code)s would receive more than its additional need and remaining total "
                                "investment (%(limit)s million đồng).") % {"code": transfer.receiver.code,
                                                                          "limit": format_money(
                                                                              transfer.receiver_limit)})
    old = transfer.amount
    if old == amount:
        return transfer
    transfer.amount = amount
    transfer.save(update_fields=["amount"])
    audit.record(actor=actor, kind="investment.reallocation_adjust", target=proposal,
                 old={"transfer": transfer.pk, "amount": old},
                 new={"transfer": transfer.pk, "from": transfer.donor.code, "to": transfer.receiver.code,
                      "amount": amount})
    return transfer


def _revise(*, proposal: Proposal, decision: str, day: dt.date, sign: int, note: str) -> list[PlanLine]:
    """Revised lines for every key a proposal touches: the amount in force on ``day`` ∓ the transfers."""
    deltas: dict[tuple, int] = {}
    levels: dict[tuple, str] = {}
    for t in proposal.transfers.filter(amount__gt=0):
        for pid, delta in ((t.donor_id, -t.amount), (t.receiver_id, t.amount)):
            key = (pid, t.source, t.origin_year)
            deltas[key] = deltas.get(key, 0) + sign * delta
            levels[key] = t.budget_level
    in_force = queries.plan_in_force(proposal.year, day, queries.REALLOCATED)
    created = []
    for (pid, source, origin), delta in sorted(deltas.items()):
        if not delta:
            continue
        line = in_force.get((pid, source, proposal.year, origin))
        amount = (line.amount if line else 0) + delta
        if amount < 0:
            code = Project.objects.get(pk=pid).code
            raise ValidationError(_("The plan of project %(code)s (%(source)s, %(year)s) is now smaller than the "
                                    "transfer: prepare a new proposal.") % {"code": code, "source": source,
                                                                             "year": origin})
        created.append(PlanLine.objects.create(
            project_id=pid, source=source, budget_level=line.budget_level if line else levels[(pid, source, origin)],
            year=proposal.year, origin_year=origin, assigner=queries.REALLOCATED, kind=PlanLine.Kind.REVISED,
            amount=amount, decision=decision, effective_on=day, note=note))
    return created


def _check_leader(actor) -> None:
    if actor is not None and not access.can(actor, "investment.approve"):
        raise PermissionDenied(_("Only a leader of the Provincial People's Committee approves a reallocation."))


def _decision(decision: str) -> str:
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError(_("Give the number of the decision that approves the reallocation."))
    return decision


@transaction.atomic
def approve(*, actor, proposal: Proposal, decision: str, decided_on: dt.date, at: dt.datetime) -> list[PlanLine]:
    """A leader approves: the kept transfers become revised plan lines with the decision reference."""
    _check_leader(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _check_draft(proposal)
    decision = _decision(decision)
    if not proposal.transfers.filter(amount__gt=0).exists():
        raise ValidationError(_("This proposal has no transfer left to approve."))
    lines = _revise(proposal=proposal, decision=decision, day=decided_on, sign=1,
                    note=f"Điều chuyển vốn theo đề xuất #{proposal.pk} ngày {proposal.as_of:%d/%m/%Y}")
    proposal.state, proposal.decision, proposal.decided_on = Proposal.State.APPROVED, decision, decided_on
    proposal.approved_by, proposal.approved_at = actor, at
    proposal.save(update_fields=["state", "decision", "decided_on", "approved_by", "approved_at"])
    audit.record(actor=actor, kind="investment.reallocation_approve", target=proposal, old={"state": "draft"},
                 new={"state": "approved", "decision": decision, "decided_on": decided_on.isoformat(),
                      "plan_lines": [ln.pk for ln in lines]}, at=at)
    return lines


@transaction.atomic
def reject(*, actor, proposal: Proposal, at: dt.datetime, note: str = "") -> Proposal:
    _check_leader(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _check_draft(proposal)
    proposal.state = Proposal.State.REJECTED
    proposal.save(update_fields=["state"])
    audit.record(actor=actor, kind="investment.reallocation_reject", target=proposal, old={"state": "draft"},
                 new={"state": "rejected"}, note=note, at=at)
    return proposal


@transaction.atomic
def reverse(*, actor, proposal: Proposal, decision: str, decided_on: dt.date, at: dt.datetime) -> list[PlanLine]:
    """Undo an approved reallocation by a new revision (the lines it wrote stay in the history)."""
    _check_leader(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != Proposal.State.APPROVED:
        raise ValidationError(_("Only an approved reallocation can be reversed."))
    decision = _decision(decision)
    lines = _revise(proposal=proposal, decision=decision, day=decided_on, sign=-1,
                    note=f"Hủy điều chuyển vốn theo đề xuất #{proposal.pk} ({proposal.decision})")
    proposal.state, proposal.reversal_decision = Proposal.State.REVERSED, decision
    proposal.save(update_fields=["state", "reversal_decision"])
    audit.record(actor=actor, kind="investment.reallocation_reverse", target=proposal, old={"state": "approved"},
                 new={"state": "reversed", "decision": decision, "decided_on": decided_on.isoformat(),
                      "plan_lines": [ln.pk for ln in lines]}, at=at)
    return lines


# Imports ---------------------------------------------------------------------------------------------------------


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _batch_event(*, actor, kind: str, batch: ImportBatch, out) -> None:
    batch.rows, batch.created, batch.unchanged = out.rows, out.created, out.unchanged
    batch.total_amount, batch.warnings = out.total_amount, [w.as_dict() for w in out.warnings[:100]]
    batch.save(update_fields=["rows", "created", "unchanged", "total_amount", "warnings", "state", "updated_at"])
    audit.record(actor=actor, kind=f"investment.import_{kind}", target=batch,
                 new={"file": batch.file_name, "file_hash": batch.file_hash, "rows": out.rows,
                      "projects": len(out.projects), "created": out.created, "unchanged": out.unchanged,
                      "total_amount": out.total_amount, "warnings": len(out.warnings)})


def import_batch(*, actor, kind: str, file_name: str, file_hash: str, as_of: dt.date | None, options: dict,
                 dry_run: bool, apply: Callable) -> ImportBatch | None:
    """One imported file, all or nothing: in one transaction, create the batch, let ``apply(batch)`` write its rows
    (through the actions below) and return the import's result, then store the counts and record one audit event.
    Rolled back when the result has errors, when nothing was new (no batch, no event) and on a dry run. Returns the
    batch kept, or None. Errors ``apply`` raises roll back and propagate. For small writes only: the write lock is
    held while ``apply`` runs. Plan files go through ``import_checked``, disbursement files through ``import_staged``."""
    with transaction.atomic():
        batch = ImportBatch.objects.create(kind=kind, file_name=file_name[:255], file_hash=file_hash, as_of=as_of,
                                           actor=_user(actor), options=options)
        out = apply(batch)
        if not out.ok or out.created == 0:
            transaction.set_rollback(True)
            return None
        _batch_event(actor=actor, kind=kind, batch=batch, out=out)
        if dry_run:
            transaction.set_rollback(True)
            return None
        return batch


# A staged import (ADR 0012): rows are written in short transactions under a batch in state "staging", which every
# read of disbursements excludes, then published by a one-row update, so a web write waits at most one chunk.

STALE_AFTER = dt.timedelta(minutes=10)  # a staging batch not written to for this long is abandoned
DISCARD_ROWS = 10_000  # rows deleted per transaction when a staging batch is discarded


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(batch: ImportBatch) -> bool:
    """The process that writes it is known to be gone: same host, no such pid."""
    host, _sep, pid = batch.owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's live process
        return False
    return False


def discard_batch(*, batch: ImportBatch) -> int:
    """Delete a staging batch and its rows, ``DISCARD_ROWS`` per short transaction (readers never saw them, so
    this needs no audit event). Returns the rows deleted. A published batch is never discarded."""
    if batch.state != ImportBatch.State.STAGING:
        raise ValidationError("only a staging batch can be discarded")
    rows = Disbursement.all_objects.filter(batch_id=batch.pk).order_by("pk")
    deleted, last = 0, 0
    while True:
        ids = list(rows.filter(pk__gt=last).values_list("pk", flat=True)[:DISCARD_ROWS])  # read outside the write
        if not ids:
            break
        with transaction.atomic():
            deleted += Disbursement.all_objects.filter(pk__in=ids).delete()[0]
        last = ids[-1]
    ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.STAGING).delete()
    return deleted


def discard_abandoned_batches() -> int:
    """Discard the staging batches of imports that were killed: their process is gone, or they have not written
    for STALE_AFTER by the database's clock (a heartbeat, not business time). Run before each staged import; a
    sweeper may call it too. Returns the batches discarded."""
    staging = ImportBatch.objects.filter(state=ImportBatch.State.STAGING)
    silent = set(staging.filter(updated_at__lt=Now() - STALE_AFTER).values_list("pk", flat=True))
    stale = [b for b in staging if b.pk in silent or _process_gone(b)]
    for batch in stale:
        discard_batch(batch=batch)
    return len(stale)


def _busy(kind: str) -> ValidationError:
    live = ImportBatch.objects.filter(kind=kind, state=ImportBatch.State.STAGING).first()
    since = timezone.localtime(live.created_at).strftime("%H:%M %d/%m/%Y") if live else ""
    return ValidationError(_("Another file of this kind is being imported (since %(since)s); try again when it has "
                             "finished.") % {"since": since}, code="import_busy")



def _claim(*, actor, kind: str, file_name: str, file_hash: str, as_of: dt.date | None, options: dict) -> ImportBatch:
    """The staging batch of one import: at most one per kind (a constraint), else ValidationError "import_busy"."""
    try:
        with transaction.atomic():
            return ImportBatch.objects.create(kind=kind, file_name=file_name[:255], file_hash=file_hash, as_of=as_of,
                                              actor=_user(actor), options=options, state=ImportBatch.State.STAGING,
                                              owner=_owner())
    except IntegrityError:
        raise _busy(kind) from None


def import_staged(*, actor, kind: str, file_name: str, file_hash: str, as_of: dt.date | None, options: dict,
                  dry_run: bool, apply: Callable) -> ImportBatch | None:
    """One imported file, all or nothing for readers, written in short transactions. Creates a staging batch, calls
    ``apply(batch, write)`` where ``write(fn)`` runs ``fn()`` in its own short transaction (a chunk of rows), then
    publishes the batch with its counts and one audit event in one short transaction. When the result has errors,
    when nothing was new, on a dry run and when ``apply`` raises (then re-raised), the staging batch and its rows are
    discarded instead: readers never saw them. Raises ValidationError (code "import_busy") while another file of the
    same kind is being imported."""
    discard_abandoned_batches()
    batch = _claim(actor=actor, kind=kind, file_name=file_name, file_hash=file_hash, as_of=as_of, options=options)
    after = summary.last_id()  # the batch's rows are appended above it

    def write(fn: Callable):
        with transaction.atomic():
            result = fn()
            ImportBatch.objects.filter(pk=batch.pk).update(updated_at=Now())  # alive
        return result

    try:
        out = apply(batch, write)
    except BaseException:
        try:
            discard_batch(batch=batch)
        except Exception:  # the database is gone too: the next import discards it (abandoned)
            logging.getLogger(__name__).exception("staging batch %s left to discard", batch.pk)
        raise
    if not out.ok or out.created == 0 or dry_run:
        discard_batch(batch=batch)
        return None
    sums = summary.batch_sums(batch.pk, after)  # read before the publish: staged rows do not change
    with transaction.atomic():  # the publish: one row flips, the monthly sums, the counts and the audit event
        if ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.STAGING).update(
                state=ImportBatch.State.PUBLISHED) != 1:
            raise RuntimeError(f"staging batch {batch.pk} was discarded while it was being written")
        summary.add_sums(sums)
        batch.state = ImportBatch.State.PUBLISHED
        _batch_event(actor=actor, kind=kind, batch=batch, out=out)
    return batch


def import_checked(*, actor, kind: str, file_name: str, file_hash: str, as_of: dt.date | None, options: dict,
                   dry_run: bool, check: Callable, write: Callable) -> ImportBatch | None:
    """One imported file of bounded size (a plan file), checked whole before one short write (ADR 0012). Claims the
    kind with a staging batch (one file of a kind at a time; ValidationError "import_busy" otherwise), runs
    ``check(batch)`` — reads, matching, validation and preparing the rows, no write transaction open — which returns
    the import's result, then, when the file is valid and brings something new, in one transaction: ``write(batch)``
    (bulk statements, ``add_plan_entries``), the batch published with its counts and its one audit event. Readers
    see all of it or nothing. Otherwise, and when anything raises (re-raised), the claim is discarded. A dry run
    only checks (``check(None)``: it writes nothing, so it claims nothing). Returns the batch kept, or None."""
    if dry_run:
        check(None)
        return None
    discard_abandoned_batches()
    batch = _claim(actor=actor, kind=kind, file_name=file_name, file_hash=file_hash, as_of=as_of, options=options)
    try:
        out = check(batch)
        if not out.ok or out.created == 0:
            discard_batch(batch=batch)
            return None
        with transaction.atomic():
            write(batch)
            if ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.STAGING).update(
                    state=ImportBatch.State.PUBLISHED) != 1:
                raise RuntimeError(f"staging batch {batch.pk} was discarded while the file was checked")
            batch.state = ImportBatch.State.PUBLISHED
            _batch_event(actor=actor, kind=kind, batch=batch, out=out)
        return batch
    except BaseException:
        try:
            discard_batch(batch=batch)
        except Exception:  # the database is gone too: the next import discards it (abandoned)
            logging.getLogger(__name__).exception("staging batch %s left to discard", batch.pk)
        raise


@dataclass
class PlanEntries:
    """What a checked plan file adds, made ready before the write (``prepare_plan_entries``)."""

    investors: PreparedRows
    projects: PreparedRows
    lines: PreparedRows
    events: list[PreparedRows]


def prepare_plan_entries(*, actor, batch: ImportBatch, investors: list[Investor], projects: list[Project],
                         lines: list[PlanLine]) -> PlanEntries:
    """The new register entries and plan lines of a checked plan file (unsaved; a project's investor may be one of
    ``investors``, a line's project one of ``projects``) as rows ready for ``add_plan_entries``, prepared with no
    write transaction open. One audit event per new investor and project, as ``create_investor``/``create_project``
    record them (with the batch id); the plan lines are counted in the batch's event."""
    for investor in investors:
        investor.search_name = search_key(investor.name)  # what Investor.save() derives
    return PlanEntries(
        investors=PreparedRows(Investor, investors),
        projects=PreparedRows(Project, projects, late={"investor_id": lambda p: p.investor.pk}),
        lines=PreparedRows(PlanLine, lines, late={"project_id": lambda ln: ln.project.pk,
                                                  "batch_id": lambda ln: batch.pk}),
        events=[
            audit.prepare_many(actor=actor, kind="investment.investor_create", entries=[
                (i, i.agency, {"name": i.name, "agency": i.agency.code if i.agency else None, "batch": batch})
                for i in investors]),
            audit.prepare_many(actor=actor, kind="investment.project_create", entries=[
                (p, p.investor.agency, {"code": p.code, "name": p.name, "investor": p.investor.name, "group": p.group,
                                        "district": p.district, "total_investment": p.total_investment,
                                        "batch": batch}) for p in projects]),
        ])


@transaction.atomic
def add_plan_entries(*, entries: PlanEntries) -> None:
    """Write prepared plan entries (run inside ``import_checked``'s write): one multi-row statement per table, the
    ids of the new investors and projects read back by their unique keys in between."""
    if entries.investors.insert():
        ids = dict(Investor.objects.values_list("search_name", "pk"))
        for investor in entries.investors.objs:
            investor.pk = ids[investor.search_name]
    if entries.projects.insert():
        ids = dict(Project.objects.values_list("code", "pk"))
        for project in entries.projects.objs:
            project.pk = ids[project.code]
    entries.lines.insert()
    for events in entries.events:
        audit.record_prepared(events)


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


@transaction.atomic
def rebuild_summaries(*, actor, at: dt.datetime) -> tuple[int, int]:
    """Recompute the monthly disbursement sums from the raw rows; audited when they had drifted. Returns (sums
    stored, keys that differed)."""
    drift = len(summary.differences())
    stored = summary.rebuild()
    if drift:
        audit.record(actor=actor, kind="investment.summaries_rebuild", target=None,
                     new={"sums": stored, "differed": drift}, at=at)
    return stored, drift
