"""Permission-scoped reads of programs and tasks, with statuses computed as of a date."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.domain import task_status

from .models import ActionProgram, Assignment, AssignmentRole, Extension, ProgramVersion, Task


def current_versions():
    latest = ProgramVersion.objects.filter(program=OuterRef("program")).order_by("-number").values("pk")[:1]
    return ProgramVersion.objects.filter(pk=Subquery(latest))


def visible_tasks(user, *, version: ProgramVersion | None = None):
    tasks = Task.objects.filter(version=version) if version else Task.objects.filter(version__in=current_versions())
    tasks = access.scope(user, tasks)
    return tasks.select_related("version__program").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("agency"))
    )


def get_task_for(user, pk: int) -> Task:
    try:
        return access.scope(user, Task.objects.select_related("version__program")).get(pk=pk)
    except Task.DoesNotExist:
        raise Http404("no such task") from None


def get_assignment_for(user, pk: int) -> Assignment:
    try:
        return access.scope(user, Assignment.objects.select_related("task__version__program", "agency")).get(pk=pk)
    except Assignment.DoesNotExist:
        raise Http404("no such assignment") from None


def get_extension_for(user, pk: int) -> Extension:
    try:
        return access.scope(user, Extension.objects.select_related("assignment__task", "assignment__agency"),
                            agency_field="assignment__agency").get(pk=pk)
    except Extension.DoesNotExist:
        raise Http404("no such extension") from None


def assignment_bucket(a: Assignment, as_of: dt.date) -> str:
    return task_status.bucket(a.deadline, a.completed_on, as_of)


def task_bucket(task: Task, as_of: dt.date) -> str:
    leads = [assignment_bucket(a, as_of) for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
    return task_status.rollup(leads, deadline=task.deadline, as_of=as_of)


@dataclass
class TaskRow:
    task: Task
    status: str
    mine: list[Assignment]
    my_status: str | None


def task_rows(user, as_of: dt.date, *, agency: str = "", section: str = "", status: str = "",
              due_from: dt.date | None = None, due_to: dt.date | None = None, program: int | None = None,
              q: str = "") -> list[TaskRow]:
    tasks = visible_tasks(user)
    if program:
        tasks = tasks.filter(version__program_id=program)
    if agency:
        tasks = tasks.filter(assignments__agency__code=agency.upper()).distinct()
    if section:
        tasks = tasks.filter(Q(section=section) | Q(section__startswith=f"{section}."))
    if due_from:
        tasks = tasks.filter(deadline__gte=due_from)
    if due_to:
        tasks = tasks.filter(deadline__lte=due_to)
    if q:
        tasks = tasks.filter(text__icontains=q)
    own = access.agency_ids(user) if not access.sees_all(user) else set()
    rows = []
    for task in tasks.order_by("version__program", "position"):
        mine = [a for a in task.assignments.all() if a.agency_id in own]
        row = TaskRow(task, task_bucket(task, as_of), mine,
                      assignment_bucket(mine[0], as_of) if mine else None)
        if status and status not in (row.status, row.my_status):
            continue
        rows.append(row)
    return rows


def status_counts(rows: list[TaskRow]) -> list[tuple[str, int]]:
    counts = Counter(r.status for r in rows)
    return [(b, counts.get(b, 0)) for b in task_status.BUCKETS]


def overdue_by_agency(user, as_of: dt.date) -> list[tuple[Agency, int]]:
    """Lead and coordinating assignments past their deadline, per agency (what the user may see)."""
    assignments = access.scope(user, Assignment.objects.filter(task__version__in=current_versions()))
    overdue = assignments.filter(completed_on__isnull=True, deadline__lt=as_of) | assignments.filter(
        completed_on__gt=as_of, deadline__lt=as_of)
    counts = Counter(overdue.values_list("agency_id", flat=True))
    agencies = Agency.objects.in_bulk(list(counts))
    return sorted(((agencies[k], n) for k, n in counts.items()), key=lambda x: (-x[1], x[0].code))


def programs_for(user):
    return ActionProgram.objects.annotate(last_version=Max("versions__number")).order_by("-issued_on")
