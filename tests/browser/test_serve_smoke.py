"""The production shape, end to end: `dondoc serve` (gunicorn + worker + scheduler, DEBUG off) as a subprocess
on a fresh SQLite file, driven by Chromium; then SIGTERM and a clean exit. The other browser tests keep their
in-process live server; these few check what only the real runtime does (static files with hashed names through
WhiteNoise, the worker's heartbeat, the scheduler's runs, the stop)."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_shell import login

pytestmark = pytest.mark.browser
DONDOC = [sys.executable, "-m", "dondoc"]
SETUP = """
from django.core.management import call_command
from dondoc.accounts import demo
from dondoc.programs.services import SEED
call_command("load_reference", verbosity=0)
demo.load(as_of=None)
call_command("program", "load", str(SEED), verbosity=0)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health(base):
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)
    except OSError:
        return None, None


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A fresh installation (migrate, reference data, the demo accounts, the seed program) served by `dondoc
    serve` until the module's tests are done; stopped with SIGTERM, which must end it cleanly."""
    home = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "PYTEST", "DATABASE_URL", "DJANGO_"))}
    env.update(DATABASE_URL=f"sqlite:///{home / 'dondoc.sqlite3'}", DONDOC_HOME=str(home), DONDOC_INSECURE_HTTP="1",
               DONDOC_SECRET_KEY="smoke-" + "k" * 60, DONDOC_TODAY="2020-09-20", PYTHONUNBUFFERED="1")
    for args in (["migrate", "--no-input", "-v", "0"], ["shell", "-c", SETUP]):
        subprocess.run(DONDOC + args, env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (home / "serve.log").open("w")
    process = subprocess.Popen(DONDOC + ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    status = body = None
    for _ in range(240):  # until every part is up: the worker beats, the scheduler's owed runs are done
        if process.poll() is not None:
            break
        status, body = health(base)
        if status == 200:
            break
        time.sleep(0.5)
    if status != 200:
        process.kill()
        pytest.fail(f"dondoc serve never became healthy: {status} {body}\n{(home / 'serve.log').read_text()}")
    yield {"base": base, "home": home, "db": home / "dondoc.sqlite3", "health": body, "env": env}
    process.send_signal(signal.SIGTERM)
    returncode = process.wait(60)
    log.close()
    output = (home / "serve.log").read_text()
    assert returncode == 0, output
    assert "serve: stopped" in output and "scheduler: stopped" in output


def test_health_reports_every_part(served):
    body = served["health"]
    assert body["database"] == "ok" and body["worker"]["alive"] >= 1
    assert {"check_deadlines", "check_petitions", "send_reminders", "send_outbox"} <= set(body["sweepers"])
    assert body["outbox"]["unsent"] == 0


def test_login_home_and_a_report_submitted(page, served):
    base = served["base"]
    login(page, base, "stc", password="demo")
    stylesheet = page.locator('link[rel="stylesheet"]').first.get_attribute("href")
    assert stylesheet.startswith("/static/") and stylesheet.count(".") >= 2  # hashed by the manifest storage
    assert page.request.get(f"{base}{stylesheet}").status == 200
    page.goto(f"{base}/reports/")
    page.get_by_role("button", name="Báo cáo của Sở Tài chính kỳ 09/2020").click()
    page.get_by_label("Nội dung đã thực hiện 1.2.1").fill("Đã hướng dẫn doanh nghiệp gia hạn nộp thuế.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    assert "Đã lưu bản nháp." in page.locator(".messages").inner_text()
    url = page.url
    page.get_by_role("button", name="Đăng xuất").click()
    login(page, base, "stc_ld", password="demo")
    page.goto(url)
    page.get_by_role("button", name="Gửi Sở KH&ĐT").click()
    assert "Đã gửi báo cáo tới Sở KH&ĐT." in page.locator(".messages").inner_text()


def test_the_administrator_sees_the_scheduler_and_the_worker(page, served):
    base = served["base"]
    login(page, base, "admin", password="demo")
    page.get_by_role("link", name="Vận hành").click()
    for name in ("check_deadlines", "send_outbox"):
        assert "thành công" in page.locator(f'tr[data-sweeper="{name}"]').inner_text()
    assert "đang hoạt động" in page.locator("#workers").inner_text()
    with sqlite3.connect(served["db"]) as db:
        assert db.execute("SELECT count(*) FROM core_sweeperrun WHERE status = 'ok'").fetchone()[0] >= 4


def test_when_one_part_dies_serve_stops_the_others_and_fails(served, tmp_path):
    """The web server cannot listen (the port is taken): serve says so, stops worker and scheduler, exits 1."""
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(served["db"]) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    env = {**served["env"], "DATABASE_URL": f"sqlite:///{copy}", "DONDOC_HOME": str(tmp_path)}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(DONDOC + ["serve", "--bind", f"127.0.0.1:{port}"], env=env, capture_output=True,
                                text=True, timeout=120)
    assert result.returncode == 1
    assert "web exited on its own" in result.stdout
    assert "scheduler: stopped" in result.stdout  # the others were stopped, not left running


def test_an_upload_is_processed_by_the_worker(page, served):
    """An officer uploads a dossier list; the web request only stores and queues it; the worker runs it. Proof
    that the worker did it: the dossier exists and django-tasks' result row says SUCCESSFUL."""
    base = served["base"]
    csv = Path(served["home"]) / "hoso.csv"
    csv.write_text("STT,Loại hồ sơ,Cơ quan giải quyết,Số hồ sơ,Trích yếu,Ngày nhận\n"
                   "1,appraisal,Sở Tài chính,TĐ-SMOKE/2020,Thẩm định dự án Cầu Phố Mới,20/01/2020\n",
                   encoding="utf-8")
    login(page, base, "stc", password="demo")
    page.goto(f"{base}/deadlines/import/")
    page.locator('input[type="file"]').set_input_files(str(csv))
    page.locator('input[name="dry_run"]').uncheck()  # "check only" is the default, as before the worker
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.wait_for_url("**/deadlines/import/?job=*")  # the request stored and queued it; the page polls
    query = "SELECT count(*) FROM deadlines_dossier WHERE reference = 'TĐ-SMOKE/2020'"
    for _ in range(120):
        with sqlite3.connect(served["db"]) as db:
            if db.execute(query).fetchone()[0]:
                break
        time.sleep(0.5)
    with sqlite3.connect(served["db"]) as db:
        assert db.execute(query).fetchone()[0] == 1
        assert db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult "
                          "WHERE status = 'SUCCESSFUL'").fetchone()[0] >= 1
        assert db.execute("SELECT state FROM jobs_job").fetchall() == [("done",)]
    expect(page.locator("#report")).to_have_attribute("data-state", "done", timeout=10000)
