"""Permission-scoped reads of programs and tasks, with statuses computed as of a date."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.http import Http404

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.domain import task_status

from .models import ActionProgram, Assignment, AssignmentRole, Extension, ProgramVersion, Task


def current_versions():
    latest = ProgramVersion.objects.filter(program=OuterRef("program")).order_by("-number").values("pk")[:1]
    return ProgramVersion.objects.filter(pk=Subquery(latest))


def is_current(version: ProgramVersion) -> bool:
    """Whether ``version`` is its program's latest, without loading any version's parsed document."""
    return not ProgramVersion.objects.filter(program_id=version.program_id, number__gt=version.number).exists()


def reporting_rules(version: ProgramVersion) -> list:
    """The version's parsed reporting rules, read by key in the database (never the whole document)."""
    rules = ProgramVersion.objects.filter(pk=version.pk).values_list("parsed__reporting", flat=True).first()
    return rules or []


def visible_tasks(user, *, version: ProgramVersion | None = None):
    tasks = Task.objects.filter(version=version) if version else Task.objects.filter(version__in=current_versions())
    tasks = access.scope(user, tasks)
    return tasks.select_related("version__program").defer("version__parsed").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("agency"))
    )


def get_task_for(user, pk: int) -> Task:
    try:
        return access.scope(user, Task.objects.select_related("version__program").defer("version__parsed")).get(pk=pk)
    except Task.DoesNotExist:
        raise Http404("no such task") from None


def get_assignment_for(user, pk: int) -> Assignment:
    try:
        return access.scope(user, Assignment.objects.select_related("task__version__program", "agency")
                            .defer("task__version__parsed")).get(pk=pk)
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


# The same rules as SQL conditions on the as-of date (domain/task_status.py is the spec; a test holds them equal),
# so that lists filter, count, sort and paginate in the database.

def _conditions(as_of: dt.date, prefix: str = "") -> dict[str, Q]:
    """An Assignment's bucket on ``as_of`` as conditions on its stored deadline and completion date (``prefix``:
    the path to the assignment, e.g. ``assignments__``)."""

    def q(**kw):
        return Q(**{prefix + k: v for k, v in kw.items()})

    done = q(completed_on__isnull=False, completed_on__lte=as_of)  # completed after as_of: not yet done
    not_done = q(completed_on__isnull=True) | q(completed_on__gt=as_of)
    return {
        task_status.DONE_LATE: done & q(deadline__isnull=False, completed_on__gt=F(prefix + "deadline")),
        task_status.DONE_ON_TIME: done & (q(deadline__isnull=True) | q(completed_on__lte=F(prefix + "deadline"))),
        task_status.REGULAR: not_done & q(deadline__isnull=True),
        task_status.OVERDUE: not_done & q(deadline__lt=as_of),
        task_status.OPEN: not_done & q(deadline__gte=as_of),
    }


def assignment_bucket_sql(as_of: dt.date) -> Case:
    """``task_status.bucket`` of an Assignment row, as a SQL expression."""
    c = _conditions(as_of)
    return Case(*(When(c[b], then=Value(b)) for b in task_status.BUCKETS), output_field=CharField())


def task_bucket_sql(as_of: dt.date) -> Coalesce:
    """``task_status.rollup`` of a Task row from its lead assignments (its own deadline when it has none).

    The rollup is the most urgent lead bucket in ``BUCKETS`` order (overdue, open, regular, done late, done on
    time): one correlated subquery, over the ``assignment_status`` index, takes the MIN of each lead's bucket
    prefixed by its rank ("0overdue" < "1open" < …) and drops the digit — one subquery to build and run per task,
    where an EXISTS per bucket took five."""
    c = _conditions(as_of)
    ranked = Case(*(When(c[b], then=Value(f"{i}{b}")) for i, b in enumerate(task_status.BUCKETS)),
                  output_field=CharField())
    leads = (Assignment.objects.filter(task=OuterRef("pk"), role=AssignmentRole.LEAD).order_by().values("task")
             .annotate(b=Substr(Min(ranked), 2)).values("b"))
    own = Case(When(deadline__isnull=True, then=Value(task_status.REGULAR)),
               When(deadline__lt=as_of, then=Value(task_status.OVERDUE)),
               default=Value(task_status.OPEN), output_field=CharField())
    return Coalesce(Subquery(leads, output_field=CharField()), own, output_field=CharField())


def scoped_tasks(user):
    """The tasks of current program versions ``user`` may see, without a DISTINCT over the task rows."""
    tasks = Task.objects.filter(version__in=current_versions())
    if not access.sees_all(user):
        tasks = tasks.filter(pk__in=access.scope(user, Task.objects.order_by()).values("pk"))
    return tasks


def tasks_as_of(user, as_of: dt.date, *, agency: str = "", section: str = "", status: str = "",
                due_from: dt.date | None = None, due_to: dt.date | None = None, program: int | None = None,
                q: str = ""):
    """The task register as a queryset: each Task annotated with ``status`` (its rolled-up bucket on ``as_of``)
    and ``my_status`` (the bucket of the user's own agency's assignment, lead first; None for those who see all).
    ``status`` keeps a task whose own or the user's bucket matches. Ordered by program and position."""
    tasks = scoped_tasks(user).annotate(status=task_bucket_sql(as_of))
    if access.sees_all(user):
        tasks = tasks.annotate(my_status=Value(None, output_field=CharField()))
    else:
        mine = (Assignment.objects.filter(task=OuterRef("pk"), agency_id__in=access.agency_ids(user))
                .order_by("role", "agency__code").annotate(b=assignment_bucket_sql(as_of)).values("b")[:1])
        tasks = tasks.annotate(my_status=Subquery(mine, output_field=CharField()))
    if program:
        tasks = tasks.filter(version__program_id=program)
    if agency:
        tasks = tasks.filter(Exists(Assignment.objects.filter(task=OuterRef("pk"), agency__code=agency.upper())))
    if section:
        tasks = tasks.filter(Q(section=section) | Q(section__startswith=f"{section}."))
    if due_from:
        tasks = tasks.filter(deadline__gte=due_from)
    if due_to:
        tasks = tasks.filter(deadline__lte=due_to)
    if q:
        tasks = tasks.filter(text__icontains=q)
    if status:
        tasks = tasks.filter(Q(status=status) | Q(my_status=status) if not access.sees_all(user) else Q(status=status))
    return tasks.order_by("version__program", "position", "pk")


def status_counts(tasks) -> list[tuple[str, int]]:
    """Tasks per rolled-up bucket in display order: one query of conditional counts over a ``tasks_as_of``
    queryset (Django wraps it in a subquery, so each task's status is computed once)."""
    counts = tasks.order_by().aggregate(**{b: Count("pk", filter=Q(status=b)) for b in task_status.BUCKETS})
    return [(b, counts[b]) for b in task_status.BUCKETS]


def sections(tasks) -> list[str]:
    found = set(tasks.order_by().values_list("section", flat=True).distinct())
    return sorted(found, key=lambda s: [int(p) if p.isdigit() else 0 for p in s.split(".")])


def overdue_by_agency(user, as_of: dt.date, *, limit: int | None = None) -> list[tuple[Agency, int]]:
    """Lead and coordinating assignments of current versions past their deadline on ``as_of``, per agency (what
    the user may see), most first: one COUNT … GROUP BY."""
    overdue = _conditions(as_of, "assignments__")[task_status.OVERDUE] & Q(
        assignments__task__version__in=current_versions())
    agencies = (access.scope(user, Agency.objects.all()).filter(overdue).annotate(n=Count("assignments"))
                .order_by("-n", "code"))
    return [(a, a.n) for a in (agencies[:limit] if limit else agencies)]


def programs_for(user):
    return ActionProgram.objects.annotate(last_version=Max("versions__number")).order_by("-issued_on")
