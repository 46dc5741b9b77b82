import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from dondoc.accounts.models import AgencyGroup
from dondoc.core import clock
from dondoc.core.models import AuditEvent
from dondoc.programs import actions
from dondoc.programs.models import ActionProgram, Assignment, AssignmentRole, ProgramVersion, Task
from dondoc.programs.services import SEED

pytestmark = pytest.mark.django_db


def test_the_seed_loads_65_tasks_with_assignments_per_agency(seed):
    assert seed.created and seed.tasks == 65
    program = ActionProgram.objects.get()
    assert (program.number, program.issued_on, program.doc_type) == ("07/CTr-UBND", dt.date(2020, 6, 30), "CTr")
    b = Task.objects.get(section="2.1", item="b")
    assert b.lead_labels == ["@SBN", "@HUYEN"]
    sbn = set(AgencyGroup.objects.get(code="@SBN").members.values_list("code", flat=True))
    via_sbn = set(b.assignments.filter(via_group="@SBN").values_list("agency__code", flat=True))
    assert via_sbn == sbn  # the group expanded into its members, keeping its label
    assert b.assignments.filter(via_group="@HUYEN").count() == 9
    assert b.assignments.filter(role=AssignmentRole.LEAD).count() == 30


def test_task_deadlines_come_from_the_calendar_and_keep_their_rule(seed):
    b = Task.objects.get(section="2.1", item="b")
    # Latest of: extended capital by end of 8/2020, >80% before 30/9, 100% before 31/12 (read as 30/12).
    assert b.deadline == dt.date(2020, 12, 30)
    assert b.deadline_rule.startswith("hạn: 30/12/2020 — ")
    a = Task.objects.get(section="2.1", item="a")
    assert a.deadline is not None and a.deadline.year == 2020  # its only date is its 100% target
    assert Task.objects.get(section="1.6", item="2").deadline == dt.date(2021, 3, 1)  # 28/02/2021 is a Sunday
    assert Task.objects.get(section="1.1", item="1").deadline is None  # regular task


def test_a_lead_named_again_as_partner_stays_lead(seed):
    d = Task.objects.get(section="2.1", item="d")
    assert "@HUYEN" in d.partner_labels
    assert d.assignments.get(agency__code="BX").role == AssignmentRole.LEAD
    assert d.assignments.get(agency__code="STNMT").role == AssignmentRole.LEAD  # STNMT is in @SBN


def test_loading_the_same_content_again_changes_nothing(seed, seed_parsed):
    counts = (ProgramVersion.objects.count(), Task.objects.count(), Assignment.objects.count(),
              AuditEvent.objects.count())
    again = actions.load_program(actor=None, parsed=copy.deepcopy(seed_parsed), source_name="again.txt", at=clock.now())
    assert not again.created
    assert (ProgramVersion.objects.count(), Task.objects.count(), Assignment.objects.count(),
            AuditEvent.objects.count()) == counts


def test_an_amendment_creates_a_new_version_and_keeps_the_old_one(seed, seed_parsed):
    amended = copy.deepcopy(seed_parsed)
    amended["tasks"][0]["due"] = [{"date": "2020-12-31", "rule": "by", "literal": "đến hết năm 2020"}]
    result = actions.load_program(actor=None, parsed=amended, source_name="amended.txt", note="QĐ sửa đổi", at=clock.now())
    assert result.created and result.version.number == 2
    assert ProgramVersion.objects.count() == 2
    old = Task.objects.get(version__number=1, position=1)
    new = Task.objects.get(version__number=2, position=1)
    assert old.deadline is None and new.deadline == dt.date(2020, 12, 31)
    assert ActionProgram.objects.get().current_version.number == 2
    assert AuditEvent.objects.filter(kind="program.version").count() == 2


def test_a_document_without_number_or_tasks_is_refused(reference):
    with pytest.raises(ValidationError):
        actions.load_program(actor=None, parsed={"document": {}, "tasks": [{"text": "x"}]}, at=clock.now())
    with pytest.raises(ValidationError):
        actions.load_program(actor=None, parsed={"document": {"number": "1/KH-UBND"}, "tasks": []}, at=clock.now())
    assert not ActionProgram.objects.exists()


DONDOC = str(Path(sys.executable).with_name("dondoc"))


def test_cli_parse_json_contract(tmp_path):
    out = subprocess.run([DONDOC, "program", "parse", str(SEED), "--json"], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "DONDOC_DEBUG": "1",
                              "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}, timeout=60)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["document"]["number"] == "07/CTr-UBND" and data["document"]["date"] == "2020-06-30"
    assert data["reporting"][0]["every"] == "month" and data["reporting"][0]["before_day"] == 25
    assert data["reporting"][0]["to"] == ["SKHDT"]
    b = next(t for t in data["tasks"] if (t["section"], t["item"]) == ("2.1", "b"))
    assert b["due"] == [{"date": "2020-08-31", "rule": "by", "literal": "đến hết tháng 8/2020"}]
    assert {"percent": 80, "op": ">", "by": "2020-09-30"}.items() <= b["targets"][0].items()
    h = next(t for t in data["tasks"] if (t["section"], t["item"]) == ("2.1", "h"))
    assert h["time_limit"]["days"] == 5


def test_cli_rejects_empty_input_with_exit_1(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = subprocess.run([DONDOC, "program", "parse", str(empty), "--json"], capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "DONDOC_DEBUG": "1",
                              "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}, timeout=60)
    assert out.returncode == 1
    assert len(out.stderr.strip().splitlines()) == 1


def test_cli_load_is_idempotent(reference):
    from io import StringIO

    from django.core.management import call_command

    first, second = StringIO(), StringIO()
    call_command("program", "load", str(SEED), stdout=first)
    call_command("program", "load", str(SEED), stdout=second)
    assert "version 1 created with 65 tasks" in first.getvalue()
    assert "unchanged" in second.getvalue()
