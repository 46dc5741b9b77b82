"""Web writes get through while a long import runs (issue 12: "database is locked"): a real `dondoc import
disbursements` process writes a file-backed SQLite database in WAL mode while this test writes with a 2 s busy
timeout, the way a web request would."""

import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from dondoc.investment.models import Investor, Project

pytestmark = pytest.mark.django_db
ROWS = 120_000
CODES = [str(7_000_000 + i) for i in range(50)]


def file_database(path: Path) -> None:
    """The test database (schema, reference data and the projects made here) copied to a file, in WAL mode."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    target.execute("PRAGMA journal_mode=WAL")
    target.executescript("\n".join(connection.connection.iterdump()))  # backup() waits on the shared-cache lock
    target.close()


def payments(path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["STT", "Mã dự án", "Ngày thanh toán", "Số chứng từ", "Số tiền (đồng)"])
        for i in range(1, ROWS + 1):
            w.writerow([i, CODES[i % len(CODES)], f"{1 + i % 28:02d}/03/2020", f"KB{i:08d}", f"{i % 5000 + 1}00.000"])
    return path


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the write lock is SQLite's")
def test_writes_with_a_2_s_busy_timeout_all_get_through_during_a_long_import(tmp_path):
    investor = Investor.objects.create(name="Ban QLDA")
    Project.objects.bulk_create([Project(code=c, name=f"Dự án {c}", investor=investor) for c in CODES])
    db = tmp_path / "db.sqlite3"
    file_database(db)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "PYTEST", "DATABASE_URL", "DJANGO_"))}
    env.update(DATABASE_URL=f"sqlite:///{db}", DONDOC_DEBUG="1")
    importer = subprocess.Popen([str(Path(sys.executable).with_name("dondoc")), "import", "disbursements",
                                 str(payments(tmp_path / "kb.csv")), "--json"],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    web = sqlite3.connect(db, timeout=2, isolation_level=None)  # a web request's write, 2 s busy timeout
    pid = web.execute("SELECT MIN(id) FROM investment_project").fetchone()[0]
    writes = during = 0
    try:
        while importer.poll() is None:
            web.execute("BEGIN IMMEDIATE")  # raises "database is locked" after 2 s
            staging = web.execute("SELECT COUNT(*) FROM investment_importbatch WHERE state = 'staging'").fetchone()[0]
            web.execute("UPDATE investment_project SET additional_need = additional_need + 1000000 WHERE id = ?", (pid,))
            web.execute("COMMIT")
            writes += 1
            during += bool(staging)
            time.sleep(0.02)
    finally:
        stdout, stderr = importer.communicate(timeout=120)
    assert importer.returncode == 0, stderr
    assert json.loads(stdout)["created"] == ROWS
    assert during >= 3, (writes, during)  # writes made while the import was writing, all committed
    assert web.execute("SELECT additional_need FROM investment_project WHERE id = ?", (pid,)).fetchone()[0] == (
        writes * 1_000_000)
    assert web.execute("SELECT COUNT(*) FROM investment_disbursement").fetchone()[0] == ROWS


def test_a_write_still_locked_after_the_busy_timeout_answers_503_busy_not_500(register, client_for):
    from unittest import mock

    from django.db import OperationalError

    officer = client_for("officer")
    with mock.patch("dondoc.investment.actions.declare_need", side_effect=OperationalError("database is locked")):
        response = officer.post("/investment/projects/7810657/need/", {"need": "100"})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "Hệ thống đang bận" in response.content.decode() and "Chưa có gì thay đổi" in response.content.decode()
    with (mock.patch("dondoc.investment.actions.declare_need", side_effect=OperationalError("no such table: x")),
          pytest.raises(OperationalError)):  # any other database error stays an error
        officer.post("/investment/projects/7810657/need/", {"need": "100"})
