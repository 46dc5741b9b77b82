"""Emulation and criticism lists (issue 7 part 4) — hand-computed on the `paid` register as of 30/09/2020:
STC's investor 900 of 1.500 million (60%), KBNN's 1.000 of 2.000 (50%, under the 60% cut threshold)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def lists(*extra):
    out = io.StringIO()
    call_command("investment", "emulation", "--as-of", "2020-09-30", "--json", *extra, stdout=out)
    return json.loads(out.getvalue())


def test_lists_with_evidence(paid, tmp_path):
    data = lists()
    names = [(e["kind"], e["name"], e["rate"]) for e in data["not_eligible"]]
    assert names[:2] == [("investor", "Ban QLDA Kho bạc", "50.00"), ("investor", "Ban QLDA Sở Tài chính", "60.00")]
    assert [(e["kind"], e["agency"], e["rate"]) for e in data["not_eligible"][2:]] == [
        ("agency", "KBNN", "50.00"), ("agency", "STC", "60.00")]
    kbnn = data["not_eligible"][0]
    assert kbnn["plan"] == "2000000000" and kbnn["disbursed"] == "1000000000" and "100%" in kbnn["rule"]
    assert [(e["name"], e["rate"]) for e in data["criticism"]] == [("Ban QLDA Kho bạc", "50.00")]
    assert "60%" in data["criticism"][0]["rule"]
    out = tmp_path / "thidua.xlsx"
    lists("--out", str(out))
    wb = load_workbook(out)
    assert len(wb.sheetnames) == 2
    rows = [[c.value for c in r] for r in wb.worksheets[1].iter_rows()]
    assert any(r[0] == "Ban QLDA Kho bạc" and r[2] == 2_000_000_000 for r in rows)


def test_screen_per_persona(paid, client_for):
    url = reverse("investment:emulation") + "?as_of=30/09/2020"
    for name in ("admin", "leader", "officer", "head", "other"):
        r = client_for(name).get(url)
        assert r.status_code == 200, name
        body = r.content.decode()
        sees_kbnn = name in ("admin", "leader", "other")
        assert ("Ban QLDA Kho bạc" in body) == sees_kbnn, name
        assert ("Ban QLDA Sở Tài chính" in body) == (name != "other"), name
    assert client_for("anonymous").get(url).status_code == 302
    r = client_for("officer").get(url + "&format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def no_formula_cells(data: bytes) -> list:
    """Every non-empty cell, after asserting none is a formula (issue 12: formula injection)."""
    wb = load_workbook(io.BytesIO(data))
    got = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in got if c.data_type == "f"]
    return [c.value for c in got]


def test_emulation_export_with_a_formula_investor_name(paid, tmp_path):
    from dondoc.investment.models import Investor

    Investor.objects.filter(name="Ban QLDA Kho bạc").update(name='=HYPERLINK("http://x","y")')
    out = tmp_path / "thidua.xlsx"
    call_command("investment", "emulation", "--as-of", "2020-09-30", "--out", str(out), stdout=io.StringIO())
    assert '=HYPERLINK("http://x","y")' in no_formula_cells(out.read_bytes())
