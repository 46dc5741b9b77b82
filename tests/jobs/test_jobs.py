"""The job mechanism: who sees the jobs page, which running jobs count as orphaned, heartbeats that meet a busy
database, progress written in its own transaction."""

import datetime as dt
import os
import socket
import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from dondoc.core.models import AuditEvent, WorkerHeartbeat
from dondoc.jobs import runner
from dondoc.jobs.management.commands.worker import Heartbeat
from dondoc.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_the_jobs_page_shows_every_kind_and_highlights_failures(client_for, personas):
    Job.objects.create(kind="deadlines.dossiers", file_name="hs.xlsx", state="done", created_by=personas.officer)
    Job.objects.create(kind="investment.plans", file_name="kh.xlsx", state="failed", created_by=personas.admin,
                       error=runner.stopped_message())
    page = client_for("admin").get("/jobs/").text
    assert "hs.xlsx" in page and "hồ sơ" in page and "kế hoạch vốn" in page
    assert '<tr data-state="failed" class="error">' in page and "Tiến trình chạy nền đã dừng giữa chừng" in page
    assert 'id="failed-count"' in page and 'id="no-worker"' in page
    only_failed = client_for("admin").get("/jobs/", {"state": "failed"}).text
    assert "kh.xlsx" in only_failed and "hs.xlsx" not in only_failed
    assert 'href="/jobs/"' in page and 'href="/jobs/"' not in client_for("officer").get("/").text
    assert 'href="/ops/"' in page and 'href="/jobs/"' in client_for("admin").get("/ops/").text  # linked both ways


def _running(worker_id: str, started_ago=dt.timedelta(minutes=1)) -> Job:
    return Job.objects.create(kind="investment.plans", file_name=f"{worker_id}.xlsx", state="running",
                              worker_id=worker_id, started_at=timezone.now() - started_ago)


def _beat(worker_id: str, *, host=None, pid=None, seen_ago=dt.timedelta(seconds=5), stopped=False) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id=worker_id, hostname=host or socket.gethostname(), pid=pid,
                                   started_at=now - dt.timedelta(hours=1), seen_at=now - seen_ago,
                                   stopped_at=now if stopped else None)


def test_a_running_job_is_orphaned_only_when_its_worker_is_gone():
    _beat("alive-here", pid=os.getppid())  # a live process on this machine
    _beat("dead-here", pid=2**22 + 7)  # above the kernel's pid range: no such process
    _beat("stopped", pid=os.getppid(), stopped=True)
    _beat("far-recent", host="other-host", pid=1)
    _beat("far-silent", host="other-host", pid=1, seen_ago=dt.timedelta(minutes=30))
    jobs = {w: _running(w) for w in ("alive-here", "dead-here", "stopped", "far-recent", "far-silent")}
    jobs["web-recent"] = _running("web:x:1")
    jobs["web-old"] = _running("web:x:2", started_ago=dt.timedelta(hours=3))
    assert runner.fail_orphans() == 4
    states = {w: Job.objects.get(pk=j.pk).state for w, j in jobs.items()}
    assert states == {"alive-here": "running", "dead-here": "failed", "stopped": "failed", "far-recent": "running",
                      "far-silent": "failed", "web-recent": "running", "web-old": "failed"}
    failed = Job.objects.get(pk=jobs["dead-here"].pk)
    assert failed.error == "Tiến trình chạy nền đã dừng giữa chừng; chưa ghi gì vào dữ liệu. Hãy tải tệp lên lại."
    assert AuditEvent.objects.filter(kind="jobs.orphaned").count() == 4


def test_a_heartbeat_that_meets_a_locked_database_is_skipped_not_fatal():
    beat = Heartbeat("w1", every=5)
    assert beat.beat() is True and WorkerHeartbeat.objects.get().stopped_at is None
    with mock.patch.object(WorkerHeartbeat.objects, "update_or_create",
                           side_effect=OperationalError("database is locked")):
        assert beat.beat() is False
    assert beat.beat(stopped=True) is True and WorkerHeartbeat.objects.get().stopped_at is not None


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_to_the_job_row_from_its_own_connection():
    job = _running("w1")
    writer = runner._ProgressWriter(job.pk, live=True)
    try:
        writer.report(1200, 0.25)
        for _ in range(200):
            job.refresh_from_db()
            if job.progress_rows:
                break
            time.sleep(0.02)
    finally:
        writer.stop()
    assert (job.progress_rows, job.progress) == (1200, 0.25)


def test_an_upload_enqueues_a_task_after_commit_and_parses_nothing_in_the_request(
        client_for, personas, settings, tmp_path, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks_db.models import DBTaskResult

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for("admin").post("/programs/", {"file": SimpleUploadedFile("ct.txt", "Nhiệm vụ".encode())})
    job = Job.objects.get()
    assert r.status_code == 302 and job.state == "queued" and (tmp_path / job.file).exists()
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and task.args_kwargs == {"args": [job.pk], "kwargs": {}}


def test_the_dossier_job_reports_its_progress(personas, settings, tmp_path, monkeypatch):
    """The handler passes the runner's progress to the importer: a large file reports as it is checked."""
    from dondoc.deadlines import importers
    from dondoc.deadlines import jobs as dossier_jobs

    monkeypatch.setattr(importers, "PROGRESS_EVERY", 2)

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    rows = ["Loại hồ sơ;Cơ quan;Số hồ sơ;Trích yếu;Ngày nhận"]
    rows += [f"appraisal;Sở Tài chính;TĐ-{i};Thẩm định;20/01/2020" for i in range(5)]
    (tmp_path / "hs.csv").write_text("\n".join(rows), encoding="utf-8")
    job = Job.objects.create(kind=dossier_jobs.KIND, file="hs.csv", file_name="hs.csv", created_by=personas.officer)
    seen = []
    outcome = dossier_jobs.run_dossiers(job, lambda n, fraction: seen.append((n, round(fraction, 1))))
    assert outcome.state == "preview" and outcome.result["rows"] == 5
    assert seen == [(2, 0.4), (4, 0.8), (5, 1.0)]
