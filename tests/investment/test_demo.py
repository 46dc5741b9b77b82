"""The demo data set: synthetic, deterministic, idempotent, and shaped as the issue asks."""

import io
import json

import pytest
from django.core.management import call_command

from dondoc.investment import demo
from dondoc.investment.models import Disbursement, ImportBatch, Investor, PlanLine, Project

pytestmark = pytest.mark.django_db


def evaluate(as_of):
    out = io.StringIO()
    call_command("investment", "evaluate", "--as-of", as_of, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_demo_shape_and_pace(demo_db):
    assert Investor.objects.count() == 40 and Project.objects.count() == 300
    assert Investor.objects.filter(agency__isnull=False).count() >= 35
    assert PlanLine.objects.filter(origin_year__lt=2020).exists() and PlanLine.objects.filter(assigner="ttg").exists()
    assert "không phải số liệu thật" in ImportBatch.objects.get(kind="demo").file_name  # says it is synthetic
    rates = {day: float(evaluate(day)["province"]["rate"]) for day in ("2020-06-30", "2020-08-31", "2020-12-31")}
    assert 28 <= rates["2020-06-30"] <= 38 and rates["2020-08-31"] < 50 and rates["2020-12-31"] > 80


def test_evaluate_on_the_demo_lists_the_investors_under_60_and_projects_behind(demo_db):
    result = evaluate("2020-09-30")
    under = {i["name"] for i in result["investors"] if i["rate"] is not None and float(i["rate"]) < 60}
    cut = {f["code_or_name"] for f in result["findings"] if f["rule"] == "cut"}
    assert under and cut == under and len(under) < 20
    behind = [f for f in result["findings"] if f["rule"] == "commitment"]
    assert behind and all(f["subject"] == "project" and int(f["gap"]) > 0 for f in behind)


def test_demo_is_idempotent(demo_db):
    payments = Disbursement.objects.count()
    assert demo.load(as_of=None)[-1] == "investment demo: already loaded"
    assert Disbursement.objects.count() == payments
