"""The reports grid and the report form read the calendar once per request and only the reports they show: their
query count and what they read do not grow with the reports ever stored."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.domain import reporting_cycle as rc
from dondoc.reporting import actions, queries
from dondoc.reporting.models import Report, ReportState

pytestmark = pytest.mark.django_db
D = dt.date


def _get(client, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return response, [q["sql"] for q in ctx.captured_queries]


def _calendar_reads(sqls):
    return sum(1 for sql in sqls if "deadlines_calendaroverride" in sql)


def _store_reports(obligation, agencies, periods):
    Report.objects.bulk_create(
        [Report(obligation=obligation, agency=a, period=p, state=ReportState.ACCEPTED, first_submitted_on=p,
                draft={"tasks": [], "difficulties": "x" * 200}) for a in agencies for p in periods],
        ignore_conflicts=True)


@pytest.mark.parametrize("persona", ["admin", "officer"])
def test_reports_grid_reads_the_calendar_once_and_costs_the_same_with_more_reports(client_for, obligation, at,
                                                                                   personas, persona):
    at("2021-12-05")
    c = client_for(persona)
    response, before = _get(c, "/reports/")
    assert _calendar_reads(before) == 1  # was one per period shown (12), and more for the current one
    agencies = queries.reporters(obligation)
    _store_reports(obligation, agencies, queries.periods(obligation, D(2021, 12, 5)))  # every period so far
    again, after = _get(c, "/reports/")
    assert len(after) == len(before)
    grid_reads = [sql for sql in after if 'FROM "reporting_report"' in sql]
    assert grid_reads and not any('"draft"' in sql.split(" FROM ")[0] for sql in grid_reads)  # never the content
    assert again.text.count("<tr><td>") == response.text.count("<tr><td>")


def test_grid_shows_the_same_states_as_the_reports_stored(obligation, personas):
    periods = [D(2020, 9, 1), D(2020, 10, 1)]
    agencies = queries.reporters(obligation)[:3]
    _store_reports(obligation, agencies[:2], periods[:1])
    rows = queries.grid(personas.admin, obligation, periods, D(2020, 10, 30))
    by_agency = {r.agency.pk: [c.state for c in r.cells] for r in rows}
    due_sep = queries.due(obligation, periods[0]).due
    expected_sep = rc.cell_state(due_sep, D(2020, 9, 1), False, D(2020, 10, 30))
    assert by_agency[agencies[0].pk][0] == by_agency[agencies[1].pk][0] == expected_sep
    assert by_agency[agencies[2].pk][0] == rc.MISSING
    assert len(rows) == len(queries.reporters(obligation))


def test_report_form_and_save_draft_read_the_calendar_once(client_for, obligation, at, personas):
    at("2020-09-20")
    report = actions.open_report(actor=personas.officer, obligation=obligation, agency=personas.own_agency,
                                 period=D(2020, 9, 1))
    c = client_for("officer")
    _, first = _get(c, f"/reports/{report.pk}/")
    assert _calendar_reads(first) == 1
    _store_reports(obligation, queries.reporters(obligation), queries.periods(obligation, D(2020, 8, 1)))
    _, again = _get(c, f"/reports/{report.pk}/")
    assert len(again) == len(first)
    with CaptureQueriesContext(connection) as ctx:
        r = c.post(f"/reports/{report.pk}/", {"action": "save", "version": report.version, "difficulties": "Thiếu vốn"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.draft["difficulties"] == "Thiếu vốn"
    assert _calendar_reads([q["sql"] for q in ctx.captured_queries]) <= 2  # the view's and the action's check
