"""/healthz for the operator's monitor and the operations page for the province administrator: what is up, what
is down and why (rules in dondoc/home/operations.py and docs/operations.md)."""

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from dondoc.core.models import SweeperRun, WorkerHeartbeat
from dondoc.core.scheduler import installed_schedule
from dondoc.outbox.models import Message

pytestmark = pytest.mark.django_db


def beat(worker_id="w1", ago=dt.timedelta(seconds=3), stopped=False):
    now = timezone.now()
    return WorkerHeartbeat.objects.create(worker_id=worker_id, hostname="app-01", pid=4242, started_at=now - ago,
                                          seen_at=now - ago, stopped_at=now if stopped else None)


def swept(status="ok", ago=dt.timedelta(seconds=20), message="done", names=None):
    start = timezone.now() - ago
    for name in names or [s.name for s in installed_schedule()]:
        SweeperRun.objects.create(name=name, started_at=start, finished_at=start, status=status, message=message)


@pytest.fixture
def healthy():
    beat()
    swept()


def test_all_well_answers_200_with_each_part(client, healthy):
    Message.objects.create(recipient="a@example.invalid", subject="Nhắc hạn", rule_key="r1")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["worker"]["status"] == "ok" and body["worker"]["alive"] == 1
    assert set(body["sweepers"]) >= {"check_deadlines", "send_reminders", "check_petitions", "send_outbox"}
    assert {v["status"] for v in body["sweepers"].values()} == {"ok"}
    assert body["outbox"]["unsent"] == 1 and body["outbox"]["oldest_unsent"]
    assert "no-store" in response["Cache-Control"]
    assert "app-01" not in response.text and "done" not in response.text  # no host names, no run output


@pytest.mark.parametrize("worker", [
    None,  # never started
    {"ago": dt.timedelta(minutes=2)},  # stopped beating (killed)
    {"stopped": True},  # stopped cleanly
])
def test_no_live_worker_is_503(client, worker):
    swept()
    if worker is not None:
        beat(**worker)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["status"] == "down"


def test_a_failed_sweeper_is_503_until_it_succeeds(client):
    beat()
    swept(names=["check_petitions", "send_reminders", "send_outbox", "backup"])
    swept(status="failed", names=["check_deadlines"], message="OperationalError: database is locked")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["sweepers"]["check_deadlines"]["status"] == "failed"
    assert body["sweepers"]["send_outbox"]["status"] == "ok"
    swept(names=["check_deadlines"], ago=dt.timedelta(seconds=1))
    assert client.get("/healthz").status_code == 200


def test_an_overdue_sweeper_is_503(client):
    beat()
    swept()
    SweeperRun.objects.filter(name="send_outbox").update(started_at=timezone.now() - dt.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["sweepers"]["send_outbox"]["status"] == "overdue"


def test_a_sweeper_that_never_ran_is_overdue(client):
    beat()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["sweepers"]["check_deadlines"] == {
        "status": "overdue", "schedule": "daily 06:00", "last_started": None, "last_finished": None,
        "last_result": None}


def test_an_unreachable_database_is_503(client):
    with mock.patch("dondoc.home.operations.ping", side_effect=OperationalError("unable to open database file")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_the_health_check_is_not_redirected_to_https(client, settings, healthy):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200  # a monitor on the machine probes plain http://127.0.0.1
    assert client.get("/accounts/login/").status_code == 301


def test_the_operations_page_shows_failures_workers_and_the_outbox(client_for):
    beat("w-alive")
    beat("w-dead", ago=dt.timedelta(minutes=30))
    swept(names=["send_outbox", "send_reminders", "check_petitions"])
    swept(status="failed", names=["check_deadlines"], message="ValueError: ngày nghỉ không hợp lệ")
    Message.objects.create(recipient="a@example.invalid", subject="Nhắc hạn", rule_key="r1")
    page = client_for("admin").get("/ops/")
    assert page.status_code == 200
    html = page.text
    failed_row = html.split('data-sweeper="check_deadlines"')[0].rsplit("<tr", 1)[1]
    assert 'class="problem"' in failed_row
    assert "ValueError: ngày nghỉ không hợp lệ" in html
    assert 'class="problem" data-sweeper="send_outbox"' not in html
    assert "w-alive" in html and "w-dead" in html and "không phản hồi" in html
    assert 'href="/healthz"' in html
    assert "hằng ngày lúc 06:00" in html  # check_deadlines' schedule, in words
    assert "1 phút một lần" in html  # send_outbox
    assert 'href="/ops/"' in html  # in the admin's navigation
    assert 'href="/ops/"' not in client_for("officer").get("/").text
