"""Writes to programs, tasks and assignments. Each one atomic and audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.accounts.models import Agency, AgencyGroup
from dondoc.core import audit
from dondoc.core.calendar import get_calendar
from dondoc.core.concurrency import check_version
from dondoc.domain.task_deadlines import task_deadline

from .models import (
    ActionProgram,
    Assignment,
    AssignmentRole,
    Extension,
    ExtensionState,
    ProgramImport,
    ProgramVersion,
    Task,
    TaskUpdate,
)


def content_hash(parsed: dict) -> str:
    """Hash of what gets loaded: the document header, the reporting rule and the tasks."""
    canonical = json.dumps({k: parsed.get(k) for k in ("document", "reporting", "tasks")}, ensure_ascii=False,
                           sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class LoadResult:
    program: ActionProgram
    version: ProgramVersion
    created: bool
    tasks: int = 0
    assignments: int = 0
    unresolved: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.created:
            return [f"{self.program.number}: unchanged (version {self.version.number} already loaded)"]
        out = [f"{self.program.number}: version {self.version.number} created with {self.tasks} tasks and "
               f"{self.assignments} assignments"]
        if self.unresolved:
            out.append("kept by name (not in the registry): " + "; ".join(sorted(set(self.unresolved))))
        return out


def _members(label: str, on: dt.date | None) -> tuple[list[Agency], str]:
    """The agencies a label stands for (a code, or a group expanded), and the group label kept."""
    if label.startswith("@"):
        group = AgencyGroup.objects.filter(code=label).first()
        if group is None:
            return [], ""
        members = group.members.all()
        if on:
            members = members.filter(pk__in=Agency.objects.active_on(on))
        return list(members.order_by("code")), label
    agency = Agency.objects.filter(code=label).first()
    return ([agency], "") if agency else ([], "")


def _check_parsed(parsed: dict) -> None:
    doc = parsed.get("document") or {}
    if not doc.get("number"):
        raise ValidationError(_("The document has no number (e.g. 07/CTr-UBND); it cannot be loaded."))
    if not parsed.get("tasks"):
        raise ValidationError(_("No task was found in the document."))


@transaction.atomic
def load_program(*, actor, parsed: dict, at: dt.datetime, source_name: str = "", note: str = "") -> LoadResult:
    """Load a parsed program at business time ``at``. The same content again changes nothing; different
    content is a new version."""
    _check_parsed(parsed)
    doc = parsed["document"]
    issued_on = dt.date.fromisoformat(doc["date"]) if doc.get("date") else None
    program, program_created = ActionProgram.objects.get_or_create(
        number=doc["number"], issued_on=issued_on,
        defaults={"doc_type": doc.get("type", ""), "title": doc.get("title", ""), "issuer": doc.get("issuer", ""),
                  "place": doc.get("place", ""), "signer": doc.get("signer", ""),
                  "issuer_agency": Agency.objects.filter(code=doc.get("issuer", "")).first()},
    )
    if program_created:
        audit.record(actor=actor, kind="program.create", target=program,
                     new={"number": program.number, "issued_on": issued_on, "title": program.title}, at=at)
    digest = content_hash(parsed)
    existing = program.versions.filter(content_hash=digest).first()
    if existing:
        return LoadResult(program, existing, created=False)
    number = (program.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ProgramVersion.objects.create(program=program, number=number, content_hash=digest,
                                            source_name=source_name, parsed=parsed, note=note,
                                            created_by=actor if getattr(actor, "is_authenticated", False) else None)
    result = LoadResult(program, version, created=True)
    calendar = get_calendar()
    for position, row in enumerate(parsed["tasks"], start=1):
        eff = task_deadline(row.get("due", []), row.get("targets", []), calendar, program.before_reading)
        task = Task.objects.create(
            version=version, position=position, part=row.get("part", ""), section=row.get("section", ""),
            item=row.get("item", ""), text=row["text"], lead_labels=row.get("lead", []),
            partner_labels=row.get("partners", []), due=row.get("due", []), recurrence=row.get("recurrence"),
            time_limit=row.get("time_limit"), targets=row.get("targets", []),
            deadline=eff.date if eff else None, deadline_rule=eff.explanation if eff else "",
        )
        result.tasks += 1
        seen: set[int] = set()
        for role, labels in ((AssignmentRole.LEAD, task.lead_labels), (AssignmentRole.PARTNER, task.partner_labels)):
            for label in labels:
                agencies, group = _members(label, issued_on)
                if not agencies and not label.startswith("@"):
                    result.unresolved.append(label)
                for agency in agencies:
                    if agency.pk in seen:  # named twice (e.g. lead and via a group): the first role wins
                        continue
                    seen.add(agency.pk)
                    Assignment.objects.create(task=task, agency=agency, role=role, via_group=group,
                                              deadline=task.deadline)
                    result.assignments += 1
    from dondoc.reporting.actions import ensure_obligations

    ensure_obligations(actor=actor, program=program, parsed=parsed, at=at)
    audit.record(actor=actor, kind="program.version", target=version,
                 new={"number": number, "tasks": result.tasks, "assignments": result.assignments,
                      "source": source_name}, note=note, at=at)
    return result


@transaction.atomic
def create_import(*, actor, parsed: dict, source_name: str) -> ProgramImport:
    draft = ProgramImport.objects.create(source_name=source_name, parsed=parsed, created_by=actor)
    audit.record(actor=actor, kind="program_import.create", target=draft,
                 new={"source": source_name, "tasks": len(parsed.get("tasks", []))})
    return draft


@transaction.atomic
def edit_import(*, actor, draft: ProgramImport, tasks: list[dict], version: int | None = None) -> ProgramImport:
    """Replace the reviewed tasks' agencies and dates; the audit row keeps what changed. ``version``: the draft's
    ``edit_version`` the review page was opened with (stale: ``StaleEdit``, nothing saved)."""
    draft = ProgramImport.objects.select_for_update().get(pk=draft.pk)
    if draft.state != ProgramImport.State.DRAFT:
        raise ValidationError(_("This document has already been loaded or discarded."))
    old_tasks = draft.parsed.get("tasks", [])
    changed = {}
    for i, (old, new) in enumerate(zip(old_tasks, tasks, strict=True)):
        diff = {k: new[k] for k in ("lead", "partners", "due") if old.get(k) != new.get(k)}
        if diff:
            changed[str(i + 1)] = {"old": {k: old.get(k) for k in diff}, "new": diff}
    check_version(draft, version, unchanged=not changed, kinds=("program_import.edit",), field="edit_version")
    if changed:
        draft.parsed = {**draft.parsed, "tasks": tasks}
        draft.edit_version += 1
        draft.save(update_fields=["parsed", "edit_version"])
        audit.record(actor=actor, kind="program_import.edit", target=draft,
                     old={k: v["old"] for k, v in changed.items()}, new={k: v["new"] for k, v in changed.items()})
    return draft


@transaction.atomic
def confirm_import(*, actor, draft: ProgramImport, at: dt.datetime) -> LoadResult:
    draft = ProgramImport.objects.select_for_update().get(pk=draft.pk)  # what was saved, not the caller's copy
    if draft.state != ProgramImport.State.DRAFT:
        raise ValidationError(_("This document has already been loaded or discarded."))
    result = load_program(actor=actor, parsed=draft.parsed, source_name=draft.source_name, at=at)
    draft.state, draft.version = ProgramImport.State.LOADED, result.version
    draft.save(update_fields=["state", "version"])
    audit.record(actor=actor, kind="program_import.confirm", target=draft, new={"version": result.version.pk},
                 at=at)
    return result


@transaction.atomic
def discard_import(*, actor, draft: ProgramImport) -> None:
    if draft.state == ProgramImport.State.DRAFT:
        draft.state = ProgramImport.State.DISCARDED
        draft.save(update_fields=["state"])
        audit.record(actor=actor, kind="program_import.discard", target=draft)


def _require(ok: bool) -> None:
    if not ok:
        raise PermissionDenied


@transaction.atomic
def post_update(*, actor, assignment: Assignment, text: str, at: dt.datetime, percent: int | None = None,
                completes: bool = False, on: dt.date | None = None) -> TaskUpdate:
    """An agency reports progress on its own assignment; "completes" marks it done on that date (default:
    the day of ``at``)."""
    _require(access.can(actor, "assignment.update", assignment))
    on = on or timezone.localdate(at)
    if not text.strip():
        raise ValidationError(_("Write what was done."))
    if percent is not None and not 0 <= percent <= 100:
        raise ValidationError(_("Progress must be between 0 and 100%."))
    update = TaskUpdate.objects.create(assignment=assignment, author=actor, reported_on=on, text=text.strip(),
                                       percent=100 if completes else percent, completes=completes)
    new = {"text": update.text, "percent": update.percent, "reported_on": on}
    old = None
    if completes and assignment.completed_on is None:
        old = {"completed_on": None}
        assignment.completed_on = on
        assignment.save(update_fields=["completed_on"])
        new["completed_on"] = on
    audit.record(actor=actor, kind="assignment.update", target=assignment, agency=assignment.agency, old=old, new=new,
                 at=at)
    return update


@transaction.atomic
def reopen_assignment(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """The DPI finds a reported completion wrong: the assignment is open again (with the reason audited)."""
    _require(access.can(actor, "assignment.reopen", assignment))
    if assignment.completed_on is None:
        return assignment
    old = {"completed_on": assignment.completed_on}
    assignment.completed_on = None
    assignment.save(update_fields=["completed_on"])
    audit.record(actor=actor, kind="assignment.reopen", target=assignment, agency=assignment.agency, old=old,
                 new={"completed_on": None}, note=reason)
    return assignment


@transaction.atomic
def request_extension(*, actor, assignment: Assignment, proposed: dt.date, reason: str) -> Extension:
    _require(access.can(actor, "extension.request", assignment))
    if assignment.extensions.filter(state__in=[ExtensionState.REQUESTED, ExtensionState.RECOMMENDED,
                                               ExtensionState.NOT_RECOMMENDED]).exists():
        raise ValidationError(_("An extension request for this assignment is already waiting for a decision."))
    if assignment.deadline and proposed <= assignment.deadline:
        raise ValidationError(_("The proposed deadline must be later than the current one."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension."))
    ext = Extension.objects.create(assignment=assignment, current_deadline=assignment.deadline,
                                   proposed_deadline=proposed, reason=reason.strip(), requested_by=actor)
    audit.record(actor=actor, kind="extension.request", target=ext, agency=assignment.agency,
                 new={"from": assignment.deadline, "to": proposed, "reason": ext.reason})
    return ext


@transaction.atomic
def recommend_extension(*, actor, extension: Extension, recommend: bool, at: dt.datetime, note: str = "") -> Extension:
    _require(access.can(actor, "extension.recommend", extension.assignment))
    if extension.state != ExtensionState.REQUESTED:
        raise ValidationError(_("The DPI has already given its opinion on this request."))
    extension.state = ExtensionState.RECOMMENDED if recommend else ExtensionState.NOT_RECOMMENDED
    extension.dpi_note, extension.dpi_by, extension.dpi_at = note.strip(), actor, at
    extension.save()
    audit.record(actor=actor, kind="extension.recommend", target=extension, agency=extension.assignment.agency,
                 old={"state": ExtensionState.REQUESTED}, new={"state": extension.state, "note": extension.dpi_note},
                 at=at)
    return extension


@transaction.atomic
def decide_extension(*, actor, extension: Extension, approve: bool, at: dt.datetime, note: str = "") -> Extension:
    _require(access.can(actor, "extension.decide", extension.assignment))
    if extension.state not in (ExtensionState.RECOMMENDED, ExtensionState.NOT_RECOMMENDED):
        raise ValidationError(_("The DPI must give its opinion before a leader decides."))
    before = extension.state
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REJECTED
    extension.decision_note, extension.decided_by, extension.decided_at = note.strip(), actor, at
    extension.save()
    assignment = extension.assignment
    new = {"state": extension.state, "note": extension.decision_note}
    if approve:
        new["deadline"] = extension.proposed_deadline
        assignment.deadline = extension.proposed_deadline
        assignment.save(update_fields=["deadline"])
    audit.record(actor=actor, kind="extension.decide", target=extension, agency=assignment.agency,
                 old={"state": before, "deadline": extension.current_deadline}, new=new, at=at)
    return extension


@transaction.atomic
def set_before_reading(*, actor, program: ActionProgram, reading: str) -> int:
    """Change how "before day X" is read and recompute the deadlines that follow from it (approved extensions
    are kept). Returns the number of tasks whose deadline moved."""
    if reading == program.before_reading:
        return 0
    old = program.before_reading
    program.before_reading = reading
    program.save(update_fields=["before_reading"])
    calendar, moved = get_calendar(), 0
    for task in Task.objects.filter(version__program=program):
        eff = task_deadline(task.due, task.targets, calendar, reading)
        new_date = eff.date if eff else None
        if new_date != task.deadline:
            task.assignments.filter(deadline=task.deadline).update(deadline=new_date)
            task.deadline, task.deadline_rule = new_date, eff.explanation if eff else ""
            task.save(update_fields=["deadline", "deadline_rule"])
            moved += 1
    audit.record(actor=actor, kind="program.before_reading", target=program, old={"before_reading": old},
                 new={"before_reading": reading, "tasks_moved": moved})
    return moved
