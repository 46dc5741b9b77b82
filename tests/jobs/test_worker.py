"""`dondoc worker` as a real process on a database file: it runs a queued upload, beats, stops cleanly on SIGTERM;
killed with -9 in the middle of an import, the next worker marks the job failed and nothing was imported."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tasks_db.backend import DatabaseBackend

from dondoc.investment.models import Investor, Project
from dondoc.jobs.models import Job
from dondoc.jobs.tasks import execute

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The worker processes run on a copy of the test database in a file: SQLite's part. PostgreSQL runs the same
    # worker code under the load benchmark (scripts/bench_load.py) and the job tests of tests/jobs/test_jobs.py.
    pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="a copy in a file is SQLite's"),
]
DONDOC = str(Path(sys.executable).with_name("dondoc"))


def _world(tmp_path, rows: int) -> Path:
    """A database file holding the schema, a project, a queued import job of ``rows`` payments and its task."""
    admin = get_user_model().objects.create_user("admin")
    Project.objects.create(code="7810657", name="Dự án A", investor=Investor.objects.create(name="Ban QLDA"))
    media = tmp_path / "var" / "media" / "investment" / "imports"
    media.mkdir(parents=True)
    lines = ["Mã dự án;Ngày;Số chứng từ;Số tiền (đồng)"]
    lines += [f"7810657;15/09/2020;CT-{i};1.000.000" for i in range(rows)]
    (media / "kb.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    job = Job.objects.create(kind="investment.disbursements", file="investment/imports/kb.csv", file_name="kb.csv",
                             size=(media / "kb.csv").stat().st_size, dry_run=False, created_by=admin)
    DatabaseBackend("default", {"QUEUES": ["default"], "OPTIONS": {}}).enqueue(execute, [job.pk], {})
    path = tmp_path / "db.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    return path


def _env(tmp_path, db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "PYTEST", "DATABASE_URL", "DJANGO_"))}
    return {**env, "DATABASE_URL": f"sqlite:///{db}", "DONDOC_HOME": str(tmp_path), "DONDOC_DEBUG": "1",
            "DONDOC_TASKS_BACKEND": "database"}


def _query(db: Path, sql: str):
    with sqlite3.connect(db, timeout=5) as c:
        return c.execute(sql).fetchall()


def _import_transaction_open(db: Path) -> bool:
    """Whether another process holds the write lock (the import's transaction), without waiting for it."""
    c = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        c.execute("BEGIN IMMEDIATE")
        c.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        c.close()


def test_a_worker_runs_the_queued_upload_beats_and_stops_cleanly_on_sigterm(tmp_path):
    db = _world(tmp_path, rows=3)
    proc = subprocess.Popen([DONDOC, "worker", "--interval", "0.2"], env=_env(tmp_path, db),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            if _query(db, "SELECT state FROM jobs_job") == [("done",)]:
                break
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)  # idle again: it stops at once, cleanly
        assert proc.wait(timeout=20) == 0, proc.stderr.read()
    finally:
        proc.kill()
    assert _query(db, "SELECT progress FROM jobs_job") == [(1.0,)]
    assert _query(db, "SELECT count(*) FROM investment_disbursement") == [(3,)]
    (worker_id, pid, stopped), = _query(db, "SELECT worker_id, pid, stopped_at FROM core_workerheartbeat")
    assert stopped is not None and pid == proc.pid  # a clean exit says so
    assert _query(db, "SELECT worker_id FROM jobs_job") == [(worker_id,)]


def test_a_worker_killed_mid_import_leaves_the_job_failed_and_nothing_imported(tmp_path):
    db = _world(tmp_path, rows=300_000)
    env = _env(tmp_path, db)
    proc = subprocess.Popen([DONDOC, "worker", "--interval", "0.1", "--heartbeat", "60"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):  # until the job is claimed and its import transaction holds the database
            if _query(db, "SELECT state FROM jobs_job") == [("running",)] and _import_transaction_open(db):
                break
            assert proc.poll() is None, "the worker ended before the import started"
            time.sleep(0.02)
        else:
            pytest.fail("the import never started")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert _query(db, "SELECT state FROM jobs_job") == [("running",)]  # nobody said otherwise yet

    again = subprocess.run([DONDOC, "worker", "--once"], env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    (state, error), = _query(db, "SELECT state, error FROM jobs_job")
    assert state == "failed"
    assert error == "Tiến trình chạy nền đã dừng giữa chừng; chưa ghi gì vào dữ liệu. Hãy tải tệp lên lại."
    # What the killed import wrote is a staging batch no reader sees (ADR 0012); nothing was published.
    assert _query(db, "SELECT count(*) FROM investment_importbatch WHERE state = 'published'") == [(0,)]
    assert _query(db, "SELECT count(*) FROM investment_disbursement d JOIN investment_importbatch b "
                      "ON b.id = d.batch_id WHERE b.state = 'published'") == [(0,)]
    assert _query(db, "SELECT status FROM django_tasks_database_dbtaskresult") == [("FAILED",)]
    assert _query(db, "SELECT kind FROM core_auditevent WHERE kind LIKE 'jobs.%' ORDER BY id") == [
        ("jobs.start",), ("jobs.orphaned",)]
