"""Task statuses computed in the database equal the domain rules (domain/task_status.py is the spec), and the task
register, its panel and the reports grid cost a fixed number of queries whatever the number of rows."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.domain import task_status
from dondoc.programs import queries
from dondoc.programs.models import ActionProgram, Assignment, AssignmentRole, ProgramVersion, Task

from ..layers import shared

pytestmark = pytest.mark.django_db
D = dt.date
DEADLINE = D(2020, 9, 29)
# Every kind of assignment: no deadline, or a deadline, never done, done before / on / after the deadline (and, for
# the as-of dates below, completed before or after the as-of date).
ASSIGNMENTS = [
    (None, None), (None, D(2020, 8, 1)), (None, D(2020, 12, 1)),
    (DEADLINE, None), (DEADLINE, D(2020, 9, 1)), (DEADLINE, DEADLINE), (DEADLINE, D(2020, 9, 30)),
    (DEADLINE, D(2020, 10, 10)), (DEADLINE, D(2021, 3, 1)), (D(2020, 12, 31), None), (D(2020, 12, 31), D(2020, 10, 1)),
]
AS_OF = [D(2020, 8, 15), D(2020, 9, 29), D(2020, 9, 30), D(2020, 10, 5), D(2020, 10, 10), D(2021, 6, 1)]


def _program(number: str) -> ProgramVersion:
    program = ActionProgram.objects.create(number=number, title="Chương trình thử", issued_on=D(2020, 6, 1))
    return ProgramVersion.objects.create(program=program, number=1, content_hash=number, parsed={"tasks": []})


def _make_tasks(version, agencies, lead_sets, *, start=0) -> None:
    """One task per lead set (pairs of ASSIGNMENTS indexes); each task also has a coordinating agency whose
    overdue assignment must not change the task's status; tasks without leads use their own deadline."""
    tasks = Task.objects.bulk_create([
        Task(version=version, position=start + i, section="2" if i % 3 == 0 else "1", item=str(i), text=f"Nhiệm vụ {i}",
             deadline=DEADLINE if i % 2 else None)
        for i, _ in enumerate(lead_sets)
    ])
    rows = []
    for task, leads in zip(tasks, lead_sets, strict=True):
        for agency, spec in zip(agencies, leads, strict=False):
            deadline, completed = ASSIGNMENTS[spec]
            rows.append(Assignment(task=task, agency=agency, role=AssignmentRole.LEAD, deadline=deadline,
                                   completed_on=completed))
        rows.append(Assignment(task=task, agency=agencies[-1], role=AssignmentRole.PARTNER, deadline=D(2020, 1, 1)))
    Assignment.objects.bulk_create(rows)


@shared
def many(personas):
    """Tasks with no lead, one lead of each kind, and every pair of kinds (STC first or second)."""
    stc, kbnn = personas.own_agency, personas.other_agency
    third = Agency.objects.exclude(pk__in=[stc.pk, kbnn.pk]).order_by("code").first()
    version = _program("01/CTr-TEST")
    lead_sets = [(), ()] + [(i,) for i in range(len(ASSIGNMENTS))]
    lead_sets += list(itertools.product(range(len(ASSIGNMENTS)), repeat=2))
    _make_tasks(version, [stc, kbnn, third], lead_sets)
    # Another agency leads some tasks alone: not visible to the STC officer.
    _make_tasks(version, [kbnn, third], [(i,) for i in range(len(ASSIGNMENTS))], start=len(lead_sets))
    return version


def _python_rows(user, as_of, status=""):
    """The register as it was computed before (in Python, from the domain rules): [(task id, status, mine)]."""
    own = access.agency_ids(user) if not access.sees_all(user) else set()
    tasks = access.scope(user, Task.objects.filter(version__in=queries.current_versions()))
    rows = []
    for task in tasks.prefetch_related("assignments__agency").order_by("version__program", "position"):
        assignments = sorted(task.assignments.all(), key=lambda a: (a.role, a.agency.code))
        leads = [task_status.bucket(a.deadline, a.completed_on, as_of) for a in assignments if a.role == "lead"]
        mine = [a for a in assignments if a.agency_id in own]
        row = (task.pk, task_status.rollup(leads, deadline=task.deadline, as_of=as_of),
               task_status.bucket(mine[0].deadline, mine[0].completed_on, as_of) if mine else None)
        if status and status not in row[1:]:
            continue
        rows.append(row)
    return rows


@pytest.mark.parametrize("as_of", AS_OF)
def test_assignment_buckets_in_sql_equal_the_domain_rules(many, as_of):
    found = Assignment.objects.annotate(b=queries.assignment_bucket_sql(as_of))
    assert found.count() > 100
    for a in found:
        assert a.b == task_status.bucket(a.deadline, a.completed_on, as_of), (a.deadline, a.completed_on, as_of)
    if as_of == D(2020, 10, 5):
        assert set(found.values_list("b", flat=True)) == set(task_status.BUCKETS)


@pytest.mark.parametrize("as_of", AS_OF)
@pytest.mark.parametrize("persona", ["admin", "officer"])
def test_task_statuses_in_sql_equal_the_domain_rollup(many, personas, as_of, persona):
    user = getattr(personas, persona)
    expected = _python_rows(user, as_of)
    found = [(t.pk, t.status, t.my_status) for t in queries.tasks_as_of(user, as_of)]
    assert found == expected
    if as_of == D(2020, 10, 5):
        assert {s for _, s, _ in found} == set(task_status.BUCKETS)
    counts = dict(queries.status_counts(queries.tasks_as_of(user, as_of)))
    assert counts == {b: sum(1 for _, s, _ in expected if s == b) for b in task_status.BUCKETS}
    for status in task_status.BUCKETS:
        filtered = [(t.pk, t.status, t.my_status) for t in queries.tasks_as_of(user, as_of, status=status)]
        assert filtered == _python_rows(user, as_of, status)


@pytest.mark.parametrize("as_of", [D(2020, 9, 30), D(2020, 10, 10)])
def test_overdue_by_agency_is_the_count_of_overdue_assignments(many, personas, as_of):
    for user in (personas.admin, personas.officer):
        visible = access.scope(user, Assignment.objects.filter(task__version__in=queries.current_versions()))
        expected = {}
        for a in visible.select_related("agency"):
            if task_status.bucket(a.deadline, a.completed_on, as_of) == task_status.OVERDUE:
                expected[a.agency.code] = expected.get(a.agency.code, 0) + 1
        found = queries.overdue_by_agency(user, as_of)
        assert {a.code: n for a, n in found} == expected
        assert [n for _, n in found] == sorted(expected.values(), reverse=True)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["admin", "officer"])
def test_task_pages_cost_the_same_queries_with_three_times_the_tasks(client_for, personas, settings, persona):
    settings.DONDOC_TODAY = "2020-10-05"
    stc, kbnn = personas.own_agency, personas.other_agency
    version = _program("02/CTr-TEST")
    lead_sets = [(i % len(ASSIGNMENTS),) for i in range(60)]
    _make_tasks(version, [stc, kbnn], lead_sets)
    c = client_for(persona)
    urls = ["/tasks/", "/tasks/?status=overdue", "/tasks/?page=2", "/"]
    for u in urls:  # steady state: what a process derives once (the year's disbursement rules) is derived
        c.get(u)
    before = [_queries(c, u) for u in urls]
    _make_tasks(version, [stc, kbnn], lead_sets * 2, start=len(lead_sets))
    assert [_queries(c, u) for u in urls] == before


def test_the_task_pages_never_read_the_program_document(client_for, many, settings):
    settings.DONDOC_TODAY = "2020-10-05"
    c = client_for("admin")
    task = Task.objects.filter(version=many).first()
    for url in ("/tasks/", "/tasks/?status=overdue", f"/tasks/{task.pk}/"):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        reads = [q["sql"] for q in ctx.captured_queries if "programs_programversion" in q["sql"]]
        assert not any('"parsed"' in sql.split(" FROM ")[0] for sql in reads), url


def test_register_pages_by_fifty_keeping_the_filters(client_for, personas, many, settings):
    settings.DONDOC_TODAY = "2020-10-05"
    c = client_for("admin")
    total = queries.tasks_as_of(personas.admin, D(2020, 10, 5), section="1").count()
    assert total > 50
    first = c.get("/tasks/", {"section": "1"})
    assert first.text.count('<td class="nowrap"><a href="/tasks/') == 50
    assert "?section=1&amp;page=2" in first.text
    second = c.get("/tasks/", {"section": "1", "page": "2"}).text
    assert second.count('<td class="nowrap"><a href="/tasks/') == min(50, total - 50)
