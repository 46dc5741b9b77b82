"""Imports and import jobs write only through audited actions: batch, new investors and projects, job states."""

import datetime as dt

import pytest
from django.utils import timezone

from dondoc.core.models import AuditEvent
from dondoc.investment import actions
from dondoc.investment.models import ImportBatch, Investor, Project
from dondoc.jobs import actions as job_actions
from dondoc.jobs import runner
from dondoc.jobs.models import Job

from .conftest import write_csv, write_xlsx
from .test_import_disbursements import run
from .test_import_plans import MERGES, TABLE

pytestmark = pytest.mark.django_db


def test_plan_import_audits_each_new_investor_and_project_with_its_batch(reference, tmp_path):
    code, out, _ = run("plans", write_xlsx(tmp_path / "kh.xlsx", TABLE, MERGES))
    assert code == 0
    batch = ImportBatch.objects.get(kind="plans")
    projects = AuditEvent.objects.filter(kind="investment.project_create")
    investors = AuditEvent.objects.filter(kind="investment.investor_create")
    assert sorted(e.new["code"] for e in projects) == ["7810657", "7810700"]
    assert investors.count() == Investor.objects.count() == 2
    assert {e.new["batch"] for e in [*projects, *investors]} == {batch.pk}
    assert projects.get(new__code="7810657").agency.code == "BX"  # seen by the district's officers
    code, out, _ = run("plans", write_xlsx(tmp_path / "kh.xlsx", TABLE, MERGES))  # the same file: nothing new
    assert code == 0 and AuditEvent.objects.filter(kind__in=["investment.project_create",
                                                             "investment.investor_create"]).count() == 4


def test_dry_run_and_rejected_plan_leave_no_register_entry_and_no_event(reference, tmp_path):
    path = write_xlsx(tmp_path / "kh.xlsx", TABLE, MERGES)
    assert run("plans", path, "--dry-run")[0] == 0
    bad = [row[:] for row in TABLE]
    bad[8] = [2, "Trạm y tế xã Y Tý", "7810700", "Sở Y tế", "nhiều", "500", "500", "-"]
    assert run("plans", write_xlsx(tmp_path / "bad.xlsx", bad, MERGES))[0] == 1
    assert not Project.objects.exists() and not Investor.objects.exists() and not ImportBatch.objects.exists()
    assert not AuditEvent.objects.filter(kind__startswith="investment.").exists()


def test_import_batch_action_rolls_back_what_apply_wrote_when_the_result_has_errors(reference):
    from dondoc.investment.importers import Outcome

    def apply(batch):
        actions.create_investor(actor=None, name="Ban QLDA thử", agency=None, batch=batch)
        out = Outcome("plans", created=1)
        out.error(3, "Mã dự án", "sai")
        return out

    assert actions.import_batch(actor=None, kind="plans", file_name="x.csv", file_hash="h", as_of=None, options={},
                                dry_run=False, apply=apply) is None
    assert not Investor.objects.exists() and not ImportBatch.objects.exists()
    assert not AuditEvent.objects.filter(kind__startswith="investment.").exists()


def test_job_states_are_audited(paid, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    path = write_csv(tmp_path / "kb.csv", [["Mã dự án", "Ngày", "Số chứng từ", "Số tiền (đồng)"],
                                           ["7810657", "01/10/2020", "CT77", "1.500.000"]])
    job = Job.objects.create(kind="investment.disbursements", file=path.name, file_name="kb.csv", dry_run=False)
    stale = Job.objects.create(kind="investment.plans", file="x.csv", file_name="x.csv", state="running",
                               started_at=timezone.now() - dt.timedelta(hours=3))
    assert runner.run_pending() == 1
    job.refresh_from_db()
    stale.refresh_from_db()
    assert (job.state, stale.state) == ("done", "failed")
    assert "nothing was written" in stale.error or "chưa ghi" in stale.error
    events = {(e.target_id, e.kind, e.new["state"]) for e in AuditEvent.objects.filter(kind__startswith="jobs.")}
    assert events == {(str(job.pk), "jobs.start", "running"), (str(job.pk), "jobs.finish", "done"),
                      (str(stale.pk), "jobs.orphaned", "failed")}
    assert job.result["batch"] == ImportBatch.objects.get(file_name="kb.csv").pk


def test_a_job_claimed_elsewhere_is_not_run_twice(paid):
    job = Job.objects.create(kind="investment.plans", file="x.csv", file_name="x.csv", state="running",
                             started_at=timezone.now(), worker_id="w1")
    assert job_actions.start_job(job_id=job.pk, worker_id="w2", at=timezone.now()) is None
    assert not AuditEvent.objects.filter(kind="jobs.start").exists()
