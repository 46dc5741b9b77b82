"""Issue 7: reallocation proposals — the command contract, every constraint on the demo, the documents, the review
actions (approve → revised plan lines, reversible) and who may do what."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from dondoc.core.models import AuditEvent
from dondoc.domain.forecast import forecast
from dondoc.investment import actions, queries
from dondoc.investment.models import PlanLine, Project, Proposal

from .conftest import MILLION, D, pay

pytestmark = pytest.mark.django_db
AT = dt.datetime(2020, 10, 15, 9, 0, tzinfo=dt.UTC)  # the moment the leader signs (business time)


def reallocate(as_of: str, *extra: str) -> dict:
    out = io.StringIO()
    call_command("investment", "reallocate", "--as-of", as_of, "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def test_demo_proposal_respects_every_constraint(demo_db, tmp_path):
    result = reallocate("2020-09-30")
    assert set(result) == {"as_of", "transfers", "unplaced", "objective"} and result["as_of"] == "2020-09-30"
    transfers = result["transfers"]
    assert transfers, "the demo declares additional needs, so capital must move"
    year, as_of = 2020, D(2020, 9, 30)
    # Independent figures from the database: latest province-assigned line per key, disbursed, schedule.
    lines: dict[str, dict[tuple, PlanLine]] = defaultdict(dict)
    for ln in PlanLine.objects.filter(year=year, assigner="tinh").select_related("project").order_by("id"):
        lines[ln.project.code][(ln.source, ln.origin_year)] = ln
    paid = queries.disbursed_amounts(year, as_of)
    sched = queries.schedules(year)
    projects = {p.code: p for p in Project.objects.all()}
    given, taken = defaultdict(int), defaultdict(int)
    label = {"NSĐP": "NSDP"}
    for t in transfers:
        assert set(t) == {"from", "to", "source", "budget_level", "year", "amount", "why"}
        amount = int(t["amount"])
        assert amount > 0 and amount % MILLION == 0  # whole millions, positive
        assert t["from"] != t["to"]
        source = label.get(t["source"], t["source"])
        donor_line = lines[t["from"]][(source, t["year"])]
        receiver_line = lines[t["to"]][(source, t["year"])]  # same source and year of origin on both sides
        assert donor_line.budget_level == receiver_line.budget_level == t["budget_level"]
        assert receiver_line.origin_year == year  # receivers take on a line of the year's own capital
        assert t["from"] in t["why"] and t["to"] in t["why"] and "nhu cầu bổ sung vốn" in t["why"]
        given[t["from"]] += amount
        taken[t["to"]] += amount
    expected_total = 0
    forecasts = {}
    for code, keyed in lines.items():
        p = projects[code]
        plan = sum(ln.amount for ln in keyed.values())
        disbursed = paid.get((p.pk, False), 0) + paid.get((p.pk, True), 0)
        running, cumulative = 0, {}
        for month in range(1, 13):
            running += sched.get(p.pk, {}).get(month, 0)
            cumulative[month] = running
        fc = forecast(plan=plan, disbursed=disbursed, as_of=as_of, schedule=cumulative if running else None)
        forecasts[code] = (plan, fc)
        expected_total += min(plan, fc.year_end)
    for code, amount in given.items():
        plan, fc = forecasts[code]
        assert amount <= fc.unused(plan), code  # never more than the forecast says it will not use
        assert code not in taken  # a donor does not receive
    for code, amount in taken.items():
        p = projects[code]
        allocated = sum(ln.amount for ln in PlanLine.objects.filter(project=p, assigner="tinh", origin_year=year))
        assert amount <= p.additional_need  # never more than the declared need …
        assert amount <= p.total_investment - allocated  # … nor the remaining total investment
    assert int(result["objective"]) >= expected_total + sum(given.values()) // 2
    assert int(result["unplaced"]) >= 0
    assert reallocate("2020-09-30") == result  # stable


def test_demo_documents(demo_db, tmp_path):
    import docx
    from openpyxl import load_workbook

    out = tmp_path / "totrinh.docx"
    call_command("investment", "reallocate", "--as-of", "2020-09-30", "--out", str(out), stdout=io.StringIO())
    document = docx.Document(out)
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])
    assert "TỜ TRÌNH" in text and "Kính gửi: Ủy ban nhân dân tỉnh" in text
    assert "Số:" in text and "/TTr-" in text and "31/12/2020" in text
    annex = tmp_path / "phuluc.xlsx"
    call_command("investment", "reallocate", "--as-of", "2020-09-30", "--out", str(annex), stdout=io.StringIO())
    ws = load_workbook(annex).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    total_row = next(r for r in values if "Tổng cộng" in r)
    moved = sum(int(t["amount"]) for t in reallocate("2020-09-30")["transfers"]) // MILLION
    assert total_row[8] == moved


def test_wrong_out_extension_is_usage_error(demo_db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("investment", "reallocate", "--as-of", "2020-09-30", "--out", "x.pdf",
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.returncode == 2


@pytest.fixture
def small(register):
    """As of 30/09/2020: p3 (KBNN) paid 1.000 of 2.000 million, no schedule → pace forecast 1.505.454.545 đồng;
    p1 (STC) ahead of pace and declares 300 million of additional need; p2 fully paid."""
    pay(register["p1"], D(2020, 5, 15), 700 * MILLION)
    pay(register["p1"], D(2020, 7, 1), 150 * MILLION, extended=True)
    pay(register["p2"], D(2020, 9, 30), 500 * MILLION)
    pay(register["p3"], D(2020, 6, 30), 1000 * MILLION)
    Project.objects.filter(pk=register["p1"].pk).update(additional_need=300 * MILLION, total_investment=5000 * MILLION)
    return register


def test_hand_computed_proposal(small):
    result = reallocate("2020-09-30")
    # 0.828 / 0.55 × 1.000.000.000 = 1.505.454.545 → p3 will not use 494.545.455 đồng
    assert result["transfers"] == [{"from": "7900001", "to": "7810657", "source": "NSĐP", "budget_level": "province",
                                    "year": 2020, "amount": "300000000", "why": result["transfers"][0]["why"]}]
    assert result["unplaced"] == str(494_545_455 - 300_000_000)
    assert result["objective"] == str(1_200_000_000 + 500_000_000 + 1_505_454_545 + 300_000_000)


def test_need_capped_by_remaining_total_investment(small):
    Project.objects.filter(pk=small["p1"].pk).update(total_investment=1_250 * MILLION)  # 1.000 allocated → 250 left
    assert reallocate("2020-09-30")["transfers"][0]["amount"] == str(250 * MILLION)


def test_approve_writes_revised_lines_and_reverse_restores(small, personas):
    proposal = actions.create_proposal(actor=personas.admin, as_of=D(2020, 9, 30))
    t = proposal.transfers.get()
    with pytest.raises(ValidationError):
        actions.adjust_transfer(actor=personas.admin, transfer=t, amount=301 * MILLION)  # over the need
    with pytest.raises(ValidationError):
        actions.adjust_transfer(actor=personas.admin, transfer=t, amount=250_500_000)  # not whole millions
    actions.adjust_transfer(actor=personas.admin, transfer=t, amount=250 * MILLION)
    before = list(PlanLine.objects.values_list("id", "amount"))
    with pytest.raises(PermissionDenied):
        actions.approve(actor=personas.admin, proposal=proposal, decision="1/QĐ", decided_on=D(2020, 10, 15), at=AT)
    with pytest.raises(ValidationError):
        actions.approve(actor=personas.leader, proposal=proposal, decision=" ", decided_on=D(2020, 10, 15), at=AT)
    lines = actions.approve(actor=personas.leader, proposal=proposal, decision="2345/QĐ-UBND",
                                 decided_on=D(2020, 10, 15), at=AT)
    assert sorted((ln.project.code, ln.amount, ln.kind, ln.decision) for ln in lines) == [
        ("7810657", 1_250 * MILLION, "revised", "2345/QĐ-UBND"), ("7900001", 1_750 * MILLION, "revised", "2345/QĐ-UBND")]
    assert all(PlanLine.objects.get(pk=pk).amount == amount for pk, amount in before)  # old lines untouched
    plans = queries.plan_amounts(2020, D(2020, 10, 15), "tinh")
    assert plans[(small["p1"].pk, False)] == 1_250 * MILLION and plans[(small["p3"].pk, False)] == 1_750 * MILLION
    assert queries.plan_amounts(2020, D(2020, 10, 14), "tinh")[(small["p3"].pk, False)] == 2_000 * MILLION
    with pytest.raises(ValidationError):
        actions.adjust_transfer(actor=personas.admin, transfer=t, amount=0)  # decided: frozen
    actions.reverse(actor=personas.leader, proposal=proposal, decision="2400/QĐ-UBND", decided_on=D(2020, 11, 1),
                    at=AT)
    plans = queries.plan_amounts(2020, D(2020, 11, 1), "tinh")
    assert plans[(small["p1"].pk, False)] == 1_000 * MILLION and plans[(small["p3"].pk, False)] == 2_000 * MILLION
    assert PlanLine.objects.filter(kind="revised").count() == 4
    kinds = list(AuditEvent.objects.filter(kind__startswith="investment.reallocation").values_list("kind", flat=True))
    assert sorted(kinds) == sorted(["investment.reallocation_propose", "investment.reallocation_adjust",
                                    "investment.reallocation_approve", "investment.reallocation_reverse"])
    assert Proposal.objects.get().state == "reversed"


def test_only_dpi_proposes_and_officers_see_their_own(small, personas):
    for name in ("leader", "officer", "head", "other"):
        with pytest.raises(PermissionDenied):
            actions.create_proposal(actor=getattr(personas, name), as_of=D(2020, 9, 30))
    proposal = actions.create_proposal(actor=personas.admin, as_of=D(2020, 9, 30))
    for name in ("admin", "leader", "officer", "head", "other"):  # p1 is STC's, p3 is KBNN's: both touched
        assert list(queries.visible_proposals(getattr(personas, name))) == [proposal]
    proposal.transfers.update(receiver=small["p3"], donor=small["p3"])  # now only KBNN's projects
    assert list(queries.visible_proposals(personas.officer)) == []
    assert list(queries.visible_proposals(personas.other)) == [proposal]
    for name in ("admin", "officer", "head", "other"):
        with pytest.raises(PermissionDenied):
            actions.approve(actor=getattr(personas, name), proposal=proposal, decision="1",
                                 decided_on=dt.date(2020, 10, 1), at=AT)
