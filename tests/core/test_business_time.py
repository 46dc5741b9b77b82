"""One clock for business time: actions receive the moment from their adapter; the audit page shows the real
time of recording when it falls on another day."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

import dondoc
from dondoc.core import audit

ROOT = Path(dondoc.__file__).parent
CLOCK_READS = {("clock", "today"), ("clock", "now"), ("core_clock", "today"), ("core_clock", "now"),
               ("timezone", "now"), ("date", "today"), ("datetime", "now"), ("datetime", "today")}
NO_ARG_READS = {("timezone", "localdate"), ("timezone", "localtime")}  # with no argument they read the clock


def clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            name = (node.func.value.id, node.func.attr)
            if name in CLOCK_READS or (name in NO_ARG_READS and not node.args and not node.keywords):
                found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {'.'.join(name)}()")
    return found


def test_actions_receive_the_moment_instead_of_reading_a_clock():
    modules = sorted([*ROOT.glob("*/actions.py"), *ROOT.glob("*/actions/*.py")])
    assert len(modules) >= 7
    assert [hit for path in modules for hit in clock_reads(path)] == []


def test_the_scan_sees_a_clock_read():
    sample = ROOT / "core" / "clock.py"  # the clock itself reads the real time
    assert clock_reads(sample)


@pytest.mark.django_db
def test_audit_page_shows_the_real_time_when_it_is_another_day(client_for, personas):
    pinned = timezone.make_aware(dt.datetime(2020, 10, 5, 9, 30))
    with transaction.atomic():
        audit.record(actor=personas.admin, kind="test.pinned", target=personas.own_agency, at=pinned)
        audit.record(actor=personas.admin, kind="test.now", target=personas.own_agency)
    page = client_for("admin").get("/audit/", {"kind": "test.pinned"}).text
    assert "05/10/2020 09:30" in page
    assert f"ghi vào hệ thống lúc {timezone.localdate():%d/%m/%Y}" in page
    same_day = client_for("admin").get("/audit/", {"kind": "test.now"}).text
    assert "ghi vào hệ thống lúc" not in same_day


@pytest.mark.django_db
def test_audit_refuses_a_naive_moment(personas):
    with transaction.atomic(), pytest.raises(ValueError):
        audit.record(actor=None, kind="test.naive", at=dt.datetime(2020, 10, 5, 9, 30))
