"""The production shape of an upload: the page queues the job, a real `dondoc worker` process runs it, the page
polls until the report is there. (The other browser tests run jobs inside the request.)"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect

from dondoc.deadlines.models import Dossier
from dondoc.jobs.models import Job

from .test_shell import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts(transactional_db):
    from dondoc.accounts import demo

    call_command("load_reference", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo.load(as_of=None)


@pytest.fixture
def worker(settings, tmp_path, transactional_db):
    """Uploads go to the database queue; a worker process on the same database file and media folder runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "var" / "media")}}}
    db = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite" or "memory" in str(db):
        pytest.skip("needs the browser run's SQLite database file")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "PYTEST", "DATABASE_URL", "DJANGO_"))}
    env.update(DATABASE_URL=f"sqlite:///{db}", DONDOC_HOME=str(tmp_path), DONDOC_DEBUG="1",
               DONDOC_TASKS_BACKEND="database")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("dondoc")), "worker", "--interval", "0.2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield proc
    proc.terminate()
    proc.wait(timeout=20)


def test_a_dossier_file_is_imported_by_the_worker_while_the_page_polls(page, live_server, demo_accounts, worker,
                                                                       tmp_path):
    path = tmp_path / "ho-so.csv"
    path.write_text("Loại hồ sơ;Cơ quan;Số hồ sơ;Trích yếu;Ngày nhận\n"
                    "appraisal;Sở Tài chính;TĐ-77;Thẩm định dự án;20/01/2020\n", encoding="utf-8")
    base = live_server.url
    login(page, base, "stc")
    page.goto(f"{base}/deadlines/import/")
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("input[name=dry_run]").uncheck()
    page.get_by_role("button", name="Nhập", exact=True).click()
    page.wait_for_url("**/deadlines/import/?job=*")
    expect(page.locator("#report")).to_have_attribute("data-state", "done", timeout=30000)
    expect(page.locator("#report")).to_contain_text("1 dòng")
    assert Dossier.objects.get().reference == "TĐ-77"
    assert Job.objects.get().worker_id.startswith(socket.gethostname()[:30])  # run by the worker, not the web
    assert worker.poll() is None  # the worker is still serving
