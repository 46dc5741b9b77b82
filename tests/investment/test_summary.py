"""Monthly disbursement sums: kept exact by the import's publish, rebuilt and checked by the command, read with the
as-of month's raw rows so that any date stays exact; pages whose query count does not grow with the rows."""

import io
import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from dondoc.core.models import AuditEvent
from dondoc.investment import queries, summary
from dondoc.investment.models import Commitment, Disbursement, DisbursementMonth, Investor, Proposal

from .conftest import MILLION, D, make_project, pay, write_csv
from .test_import_disbursements import PAY_HEADER, run

pytestmark = pytest.mark.django_db


def raw(year, as_of, since=None, projects=None):
    qs = Disbursement.objects.filter(year=year, paid_on__lte=as_of)
    if since:
        qs = qs.filter(paid_on__gte=since)
    if projects is not None:
        qs = qs.filter(project__in=projects)
    return {(r["project_id"], r["extended"]): r["t"] for r in qs.values("project_id", "extended").annotate(
        t=Sum("amount")).order_by()}


def command(*args):
    out = io.StringIO()
    try:
        call_command("investment", "rebuild-summaries", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_import_publish_keeps_the_sums_exact(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [PAY_HEADER,
                                          ["1", "7810657", "A", "15/03/2020", "CT1", "150.000.000"],
                                          ["2", "7810657", "A", "31/03/2020", "CT2", "50.000.000"],
                                          ["3", "7900001", "C", "01/04/2020", "CT3", "1.000.000.000"]])
    assert run("disbursements", path)[0] == 0
    assert sorted(DisbursementMonth.objects.values_list("project__code", "month", "amount", "payments")) == [
        ("7810657", D(2020, 3, 1), 200_000_000, 2), ("7900001", D(2020, 4, 1), 1_000_000_000, 1)]
    assert summary.differences() == []
    # The same file again adds nothing; a second file with one known and one new payment adds only the new one.
    assert run("disbursements", path)[1]["created"] == 0
    more = write_csv(tmp_path / "kb2.csv", [PAY_HEADER, ["1", "7810657", "A", "15/03/2020", "CT1", "150.000.000"],
                                            ["2", "7810657", "A", "02/03/2020", "CT9", "7.000.000"]])
    assert run("disbursements", more)[1]["created"] == 1
    assert DisbursementMonth.objects.get(project__code="7810657", month=D(2020, 3, 1)).amount == 207_000_000
    assert command("--check") == (0, "0 difference(s)\n")


def test_rejected_or_dry_run_files_add_no_sum(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [PAY_HEADER, ["1", "7810657", "A", "15/03/2020", "CT1", "150.000.000"],
                                           ["2", "9999999", "X", "15/03/2020", "CT2", "1"]])
    assert run("disbursements", path)[0] == 1
    good = write_csv(tmp_path / "ok.csv", [PAY_HEADER, ["1", "7810657", "A", "15/03/2020", "CT1", "150.000.000"]])
    assert run("disbursements", good, "--dry-run")[0] == 0
    assert not DisbursementMonth.objects.exists()


def test_check_finds_a_difference_and_rebuild_repairs_it(paid):
    assert command("--check")[0] == 0
    DisbursementMonth.objects.filter(month=D(2020, 5, 1)).update(amount=1)
    DisbursementMonth.objects.filter(month=D(2020, 6, 1)).delete()
    code, text = command("--check")
    assert code == 1 and "05/2020: stored 1, payments 700000000" in text and "2 difference(s)" in text
    assert command() == (0, "5 monthly sums rebuilt (2 differed)\n")
    assert command("--check")[0] == 0
    event = AuditEvent.objects.get(kind="investment.summaries_rebuild")
    assert event.new == {"sums": 5, "differed": 2}


@pytest.mark.parametrize("as_of", [D(2020, 1, 31), D(2020, 3, 1), D(2020, 3, 14), D(2020, 3, 31), D(2020, 4, 30),
                                   D(2020, 12, 31), D(2021, 2, 10)])
@pytest.mark.parametrize("since", [None, D(2020, 3, 1), D(2020, 3, 15), D(2020, 2, 29)])
def test_sums_as_of_any_date_equal_the_payments(register, as_of, since):
    days = [D(2019, 12, 20), D(2020, 1, 31), D(2020, 3, 1), D(2020, 3, 14), D(2020, 3, 15), D(2020, 3, 31),
            D(2020, 4, 1), D(2020, 12, 31), D(2021, 1, 5)]
    for n, (day, project) in enumerate(itertools.product(days, ("p1", "p3"))):
        d = pay(register[project], day, (n + 1) * MILLION, extended=n % 3 == 0, ref=f"R{n}")
        Disbursement.objects.filter(pk=d.pk).update(year=2020)  # paid in 2019 or 2021 for the 2020 plan
    summary.rebuild()
    assert queries.disbursed_amounts(2020, as_of, since=since) == raw(2020, as_of, since)
    only = [register["p3"].pk]
    assert queries.disbursed_amounts(2020, as_of, projects=only, since=since) == raw(2020, as_of, since, only)


def test_monthly_disbursed_puts_earlier_years_in_month_zero(register):
    pay(register["p1"], D(2019, 12, 20), 5 * MILLION)
    pay(register["p1"], D(2020, 3, 10), 7 * MILLION)
    pay(register["p1"], D(2020, 3, 20), 1 * MILLION)
    Disbursement.objects.update(year=2020)
    summary.rebuild()
    assert dict(queries.monthly_disbursed(2020, D(2020, 3, 15))) == {0: 5 * MILLION, 3: 7 * MILLION}


def _many_projects(register, n, start):
    investor = register["own"]
    for i in range(start, start + n):
        p = make_project(f"81{i:05d}", investor, plan=100 * MILLION)
        pay(p, D(2020, 3, 10), 10 * MILLION, ref=f"M{i}")
        Commitment.objects.create(project=p, year=2020, month=3, amount=50 * MILLION)


@pytest.mark.parametrize("url", ["/investment/projects/", "/investment/projects/?behind=1",
                                 "/investment/projects/?q=81", "/investment/reallocation/"])
def test_list_queries_do_not_grow_with_rows(client_for, register, settings, url):
    settings.DONDOC_TODAY = "2020-09-30"
    client = client_for("admin")
    _many_projects(register, 3, 0)
    Proposal.objects.create(year=2020, as_of=D(2020, 9, 30))
    client.get(url)  # warm caches (calendar, rules)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many_projects(register, 60, 100)
    for _ in range(5):
        Proposal.objects.create(year=2020, as_of=D(2020, 9, 30))
    with CaptureQueriesContext(connection) as many:
        r = client.get(url)
    assert r.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_project_list_behind_filter_counts_in_the_database(client_for, paid, settings):
    settings.DONDOC_TODAY = "2020-09-30"
    r = client_for("admin").get("/investment/projects/?behind=1")
    # p2: 300 committed by 30/9, 200 paid; p1 has no schedule.
    assert r.context["page"].paginator.count == 1
    assert [row.project.code for row in r.context["page"]] == ["7810658"]
    assert r.context["page"][0].behind
    r = client_for("other").get("/investment/projects/")
    assert [row.project.code for row in r.context["page"]] == ["7900001"]


def test_investor_page_figures_are_its_own(client_for, paid, register, settings):
    settings.DONDOC_TODAY = "2020-09-30"
    r = client_for("admin").get(f"/investment/investors/{register['own'].pk}/")
    row = r.context["row"]
    assert (row.current.plan, row.current.disbursed) == (1500 * MILLION, 900 * MILLION)
    assert [p.project.code for p in r.context["projects"]] == ["7810657", "7810658"]
    assert {f.rule for f in row.findings} == {"milestone"}


def test_project_payments_are_paged(client_for, register, settings):
    settings.DONDOC_TODAY = "2020-12-31"
    for n in range(130):
        pay(register["p1"], D(2020, 1, 1) + (D(2020, 1, 2) - D(2020, 1, 1)) * (n % 300), MILLION, ref=f"P{n}")
    client = client_for("admin")
    first = client.get("/investment/projects/7810657/")
    assert len(first.context["payments"]) == 100 and first.context["payments"].paginator.count == 130
    second = client.get("/investment/projects/7810657/?payments=2")
    assert len(second.context["payments"]) == 30
    assert first.context["row"].current.disbursed == 130 * MILLION


def test_investor_without_projects(client_for, register, settings):
    settings.DONDOC_TODAY = "2020-09-30"
    lone = Investor.objects.create(name="Ban QLDA không có dự án")
    r = client_for("admin").get(f"/investment/investors/{lone.pk}/")
    assert r.status_code == 200 and r.context["row"] is None and r.context["projects"] == []


def test_dot_grouped_amounts_read_fast_keep_the_checks(register, tmp_path):
    """After the first "1.234.567" the column's dotted amounts skip the general parser; other shapes still go
    through it and its checks (a fraction of a đồng, the other separator convention)."""
    rows = [PAY_HEADER, ["1", "7810657", "A", "15/03/2020", "CT1", "1.234.567"],
            ["2", "7810657", "A", "16/03/2020", "CT2", "2.000"], ["3", "7810657", "A", "17/03/2020", "CT3", "1.234,5"],
            ["4", "7810657", "A", "18/03/2020", "CT4", "1,234,567"], ["5", "7810657", "A", "19/03/2020", "CT5", "700"]]
    code, out, _ = run("disbursements", write_csv(tmp_path / "kb.csv", rows))
    assert code == 1
    assert [(e["row"], e["code"]) for e in out["errors"]] == [(4, "fraction_of_dong"), (5, "mixed_separators")]
    code, out, _ = run("disbursements", write_csv(tmp_path / "ok.csv", [rows[0], rows[1], rows[2], rows[5]]))
    assert code == 0 and out["total_amount"] == str(1_234_567 + 2_000 + 700)


@pytest.mark.parametrize("persona", ["admin", "officer"])
def test_panel_figures_without_project_rows_are_the_evaluation_s(paid, personas, persona):
    user = getattr(personas, persona)
    full = queries.evaluate(year=2020, as_of=D(2020, 9, 30), user=user)
    light = queries.evaluate(year=2020, as_of=D(2020, 9, 30), user=user, projects=False)
    assert light.projects == [] and light.province == full.province and light.extended == full.extended
    assert [(r.investor.name, r.current, r.extended, r.flags) for r in light.investors] == [
        (r.investor.name, r.current, r.extended, r.flags) for r in full.investors]
    assert [f for f in full.findings if f.rule != "commitment"] == light.findings


def test_overview_lists_the_projects_behind_schedule_most_behind_first(client_for, register, settings):
    """The overview counts the projects behind schedule in the database and shows the 20 most behind, as the full
    evaluation would (its commitment findings), without evaluating every project."""
    settings.DONDOC_TODAY = "2020-09-30"
    investor = register["own"]
    for i, paid_amount in enumerate([40, 10, 30, 20] + [45] * 20 + [80]):  # committed 50: the last one is ahead
        p = make_project(f"82{i:05d}", investor, plan=100 * MILLION)
        pay(p, D(2020, 3, 10), paid_amount * MILLION, ref=f"B{i}")
        Commitment.objects.create(project=p, year=2020, month=3 if i < 24 else 12, amount=50 * MILLION)
    full = queries.evaluate(year=2020, as_of=D(2020, 9, 30), user=None, everything=True)
    expected = sorted((r for r in full.projects if r.behind), key=lambda r: (r.total.disbursed - r.committed_to_date,
                                                                             r.project.code))
    r = client_for("admin").get("/investment/")
    assert r.context["behind_count"] == len(expected) == 24
    assert [row.project.code for row in r.context["behind"]] == [row.project.code for row in expected[:20]]
    assert [row.project.code for row in r.context["behind"][:4]] == ["8200001", "8200003", "8200002", "8200000"]
