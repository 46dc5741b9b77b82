"""The disbursement rules on hand-computed cases."""

import datetime as dt
from decimal import Decimal

import pytest

from dondoc.domain import disbursement as d

D = dt.date
M = 1_000_000


@pytest.mark.parametrize(("disbursed", "plan", "expected"), [
    (4712, 10000, Decimal("47.12")),
    (1, 3, Decimal("33.33")),
    (2, 3, Decimal("66.67")),
    (1, 8, Decimal("12.50")),  # 12.5 exactly
    (1, 800, Decimal("0.13")),  # 0.125 rounds half up
    (0, 100, Decimal("0.00")),
    (100, 0, None),  # a zero plan has no rate
    (0, 0, None),
    (150, 100, Decimal("150.00")),
])
def test_rate(disbursed, plan, expected):
    assert d.rate(disbursed, plan) == expected


def test_rate_on_both_denominators():
    # The same money on two plans: 479 of the province's 1.000 and of the Prime Minister's 654.
    assert d.rate(479 * M, 1000 * M) == Decimal("47.90")
    assert d.rate(479 * M, 654 * M) == Decimal("73.24")


@pytest.mark.parametrize(("plan", "percent", "op", "expected"), [
    (1000, 80, ">=", 800),
    (1000, 80, ">", 801),  # "trên 80%": strictly more
    (999, 80, ">=", 800),  # 799,2 → 800
    (999, 80, ">", 800),
    (1000, 100, ">=", 1000),
])
def test_required(plan, percent, op, expected):
    assert d.required(plan, Decimal(percent), op) == expected


@pytest.mark.parametrize(("as_of", "due", "months"), [
    (D(2020, 9, 30), D(2020, 12, 31), 3),  # October, November, December
    (D(2020, 9, 15), D(2020, 12, 31), 4),  # the rest of September counts as a month
    (D(2020, 8, 31), D(2020, 9, 30), 1),
    (D(2020, 9, 30), D(2020, 9, 30), 0),
    (D(2020, 10, 5), D(2020, 9, 30), 0),
    (D(2020, 12, 31), D(2021, 1, 31), 1),
])
def test_months_left(as_of, due, months):
    assert d.months_left(as_of, due) == months


def test_monthly_pace_rounds_up_and_takes_everything_when_no_month_is_left():
    assert d.monthly_pace(100, D(2020, 9, 30), D(2020, 12, 31)) == 34  # 100 ÷ 3 = 33,3 → 34
    assert d.monthly_pace(90, D(2020, 9, 30), D(2020, 12, 31)) == 30
    assert d.monthly_pace(90, D(2020, 9, 30), D(2020, 9, 30)) == 90
    assert d.monthly_pace(0, D(2020, 9, 30), D(2020, 12, 31)) == 0


RULES = d.Rules(
    milestones=(d.Milestone(d.EXTENDED, Decimal(100), D(2020, 8, 31), ">=", "đến hết tháng 8/2020", "2.1.b"),
                d.Milestone(d.CURRENT, Decimal(80), D(2020, 9, 30), ">", "trên 80%", "2.1.b"),
                d.Milestone(d.CURRENT, Decimal(100), D(2020, 12, 31), ">=", "100%", "2.1.a")),
    cut=d.CutRule(Decimal(60), D(2020, 9, 30), "dưới 60%", "2.3.2"))


@pytest.mark.parametrize(("as_of", "percent", "due"), [
    (D(2020, 6, 30), 80, D(2020, 9, 30)),
    (D(2020, 9, 30), 80, D(2020, 9, 30)),  # the day of the milestone is still checked against it
    (D(2020, 10, 1), 100, D(2020, 12, 31)),
    (D(2021, 1, 15), 100, D(2020, 12, 31)),  # all passed: the last one
])
def test_checked_milestone(as_of, percent, due):
    m = RULES.checked(d.CURRENT, as_of)
    assert (m.percent, m.due) == (percent, due)


def test_milestone_gap_and_pace():
    # Plan 1.200 triệu, 600 disbursed at 30/6: "above 80%" by 30/9 needs 960 triệu + 1 đồng: 360 triệu + 1 đồng
    # missing, over July, August, September.
    m = RULES.checked(d.CURRENT, D(2020, 6, 30))
    f = d.check_milestone(name="Sở Y tế", subject="investor", plan=1200 * M, disbursed=600 * M, milestone=m,
                          as_of=D(2020, 6, 30), year=2020)
    assert (f.rate, f.target, f.gap, f.monthly_pace_needed) == (Decimal("50.00"), Decimal(80), 360 * M + 1,
                                                                120 * M + 1)
    assert f.as_dict()["gap"] == "360000001" and f.as_dict()["rate"] == "50.00" and f.as_dict()["target"] == "80.00"
    assert "trên 80%" in f.explanation and "3 tháng" in f.explanation and "30/09/2020" in f.explanation
    assert d.check_milestone(name="x", subject="investor", plan=1000, disbursed=801, milestone=m,
                             as_of=D(2020, 6, 30), year=2020) is None
    assert d.check_milestone(name="x", subject="investor", plan=1000, disbursed=800, milestone=m,
                             as_of=D(2020, 6, 30), year=2020).gap == 1
    assert d.check_milestone(name="x", subject="investor", plan=0, disbursed=0, milestone=m,
                             as_of=D(2020, 6, 30), year=2020) is None


def test_extended_milestone_missed_asks_for_everything_now():
    m = RULES.checked(d.EXTENDED, D(2020, 9, 30))
    f = d.check_milestone(name="UBND huyện Bát Xát", subject="investor", plan=300 * M, disbursed=210 * M,
                          milestone=m, as_of=D(2020, 9, 30), year=2020)
    assert (f.gap, f.monthly_pace_needed, f.due) == (90 * M, 90 * M, D(2020, 8, 31))
    assert "vốn kéo dài" in f.explanation and "đã đến hạn 31/08/2020" in f.explanation


def test_cut_threshold_applies_from_its_date():
    cut = RULES.cut
    assert d.check_cut(name="x", plan=1000 * M, disbursed=599 * M, cut=cut, as_of=D(2020, 9, 30), year=2020).gap == M
    assert d.check_cut(name="x", plan=1000 * M, disbursed=600 * M, cut=cut, as_of=D(2020, 9, 30), year=2020) is None
    assert d.check_cut(name="x", plan=0, disbursed=0, cut=cut, as_of=D(2020, 9, 30), year=2020) is None
    f = d.check_cut(name="Sở X", plan=1000 * M, disbursed=471_200_000, cut=cut, as_of=D(2020, 9, 30), year=2020)
    assert f.rate == Decimal("47.12") and f.as_dict()["rule"] == "cut" and "cắt giảm" in f.explanation


def test_commitment():
    schedule = {3: 100, 6: 200, 9: 300, 12: 400}  # 1.000 committed for the year
    assert d.committed_by(schedule, 2020, D(2020, 9, 29)) == 300  # September not ended
    assert d.committed_by(schedule, 2020, D(2020, 9, 30)) == 600
    f = d.check_commitment(code="7810657", plan=2000, disbursed=450, schedule=schedule, year=2020, as_of=D(2020, 9, 30))
    assert (f.gap, f.monthly_pace_needed, f.rate, f.target) == (550, 184, Decimal("22.50"), Decimal("50.00"))
    assert f.extra["committed_to_date"] == 600 and f.subject == "project"
    assert d.check_commitment(code="x", plan=2000, disbursed=600, schedule=schedule, year=2020,
                              as_of=D(2020, 9, 30)) is None
    assert d.check_commitment(code="x", plan=2000, disbursed=0, schedule={}, year=2020, as_of=D(2020, 9, 30)) is None


def test_rules_from_the_seed_program_tasks():
    tasks = [
        {"section": "2.1", "item": "b", "text": "- Đối với kế hoạch vốn kéo dài: Yêu cầu đến hết tháng 8/2020 giải "
         "ngân toàn bộ số vốn kéo dài các năm 2018, 2019 sang năm 2020.\n- Đối với kế hoạch vốn năm 2020: ...",
         "due": [{"date": "2020-08-31", "rule": "by", "literal": "đến hết tháng 8/2020"}],
         "targets": [{"percent": 80, "op": ">", "by": "2020-09-30", "of": "KH vốn năm 2020", "literal": "trên 80%"},
                     {"percent": 100, "op": "=", "by": "2020-12-31", "of": "KH vốn năm 2020", "literal": "100%"}]},
        {"section": "2.3", "item": "2", "text": "…", "due": [],
         "targets": [{"percent": 60, "op": "<", "by": "2020-09-30", "of": "KH vốn", "literal": "dưới 60%"}]},
        {"section": "1.1", "item": "1", "text": "Báo cáo trước ngày 30/6/2020.", "due": [
            {"date": "2020-06-30", "rule": "before", "literal": "trước ngày 30/6/2020"}], "targets": []},
    ]
    rules = d.rules_from_tasks(tasks, 2020)
    assert [(m.capital, m.percent, m.op, m.due, m.task) for m in rules.milestones] == [
        (d.CURRENT, 80, ">", D(2020, 9, 30), "2.1.b"), (d.CURRENT, 100, ">=", D(2020, 12, 31), "2.1.b"),
        (d.EXTENDED, 100, ">=", D(2020, 8, 31), "2.1.b")]
    assert (rules.cut.percent, rules.cut.due, rules.cut.task) == (60, D(2020, 9, 30), "2.3.2")
    assert d.rules_from_tasks(tasks, 2021).milestones == ()
