"""A plan file is checked whole first, then written in one short transaction of bulk statements (issue 12 item 4:
creating 3,000 projects one by one held SQLite's write lock for tens of seconds; ADR 0012)."""

import os
import re
import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.core import bulk
from dondoc.core.models import AuditEvent
from dondoc.investment.importers import import_plans
from dondoc.investment.models import ImportBatch, Investor, PlanLine, Project

from .conftest import write_csv

pytestmark = pytest.mark.django_db

PROJECTS = 500


def plan_file(tmp_path, projects=PROJECTS):
    rows = [["KẾ HOẠCH VỐN ĐẦU TƯ CÔNG NĂM 2020"],
            ["Mã dự án", "Tên dự án", "Chủ đầu tư", "Kế hoạch vốn năm 2020 (triệu đồng)", "", "Vốn kéo dài (triệu đồng)"],
            ["", "", "", "NSTW", "NSĐP", ""]]
    rows += [[str(8_000_000 + i), f"Dự án số {i}", f"Ban QLDA số {i % 20}", str(100 + i), "50", "10"]
             for i in range(projects)]
    return write_csv(tmp_path / "kh.csv", rows)


def test_new_projects_are_written_by_one_statement_per_table(reference, tmp_path, django_assert_max_num_queries):
    path = plan_file(tmp_path)
    with django_assert_max_num_queries(60), CaptureQueriesContext(connection) as queries:  # one by one: ~5,000
        out = import_plans(path=path)
    assert out.ok and (out.created, out.unchanged) == (PROJECTS, 0)
    assert (Project.objects.count(), Investor.objects.count(), PlanLine.objects.count()) == (PROJECTS, 20,
                                                                                             3 * PROJECTS)
    inserts = [m[1] for q in queries.captured_queries if (m := re.search(r'INSERT INTO "?(\w+)', q["sql"]))]
    bulk = (["investment_investor", "investment_project", "investment_planline",  # one statement per table
             "core_auditevent", "core_auditevent"]  # investors' and projects' events
            if connection.vendor == "sqlite" else [])  # PostgreSQL: COPY, not seen by Django's query log
    assert inserts == ["investment_importbatch", *bulk, "core_auditevent"]  # the claim … the batch's event
    batch = ImportBatch.objects.get()
    assert batch.state == "published" and set(PlanLine.objects.values_list("batch", flat=True)) == {batch.pk}
    # the audit trail is as before: one event per new project and investor, pointing at it, with the batch
    events = {e.target_id: e for e in AuditEvent.objects.filter(kind="investment.project_create")}
    assert len(events) == PROJECTS
    project = Project.objects.get(code="8000007")
    assert events[str(project.pk)].new["code"] == "8000007"
    assert events[str(project.pk)].new["batch"] == batch.pk
    assert events[str(project.pk)].target_repr == str(project)
    assert AuditEvent.objects.filter(kind="investment.investor_create").count() == 20
    again = import_plans(path=path)  # the same file again: nothing new, nothing written
    assert again.ok and (again.created, again.unchanged) == (0, PROJECTS) and again.batch_id is None
    assert PlanLine.objects.count() == 3 * PROJECTS and ImportBatch.objects.count() == 1


def test_a_failure_during_the_write_leaves_nothing(reference, tmp_path, monkeypatch):
    insert = bulk.PreparedRows.insert

    def failing(self):
        if self.model is AuditEvent:  # after investors, projects and plan lines were inserted
            raise RuntimeError("disk full")
        return insert(self)

    monkeypatch.setattr(bulk.PreparedRows, "insert", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        import_plans(path=plan_file(tmp_path, 50))
    assert not Project.objects.exists() and not Investor.objects.exists() and not PlanLine.objects.exists()
    assert not ImportBatch.objects.exists()  # the claim is discarded too
    assert not AuditEvent.objects.filter(kind__startswith="investment.").exists()


def test_a_second_plan_file_is_refused_while_one_is_being_imported(reference, tmp_path):
    ImportBatch.objects.create(kind="plans", state="staging", file_name="other.xlsx", file_hash="h",
                               owner=f"{socket.gethostname()}:{os.getpid()}")  # a live import (this process)
    out = import_plans(path=plan_file(tmp_path, 3))
    assert not out.ok
    assert "Một tệp cùng loại đang được nhập" in out.errors[0].message
    assert not Project.objects.exists()
