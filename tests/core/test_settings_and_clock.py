"""The settings module read from the environment, checked in real subprocesses of the `dondoc` command."""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dondoc.core import clock

DONDOC = [str(Path(sys.executable).with_name("dondoc"))]
PRODUCTION = {
    "DONDOC_SECRET_KEY": "x7-Kq2vLp9sR4tW8yZ1aB3cD5eF6gH0jN_mP-uV8wX2zQ4rT6yU1iO3pA5sD7fG9h",
    "DONDOC_ALLOWED_HOSTS": "dondoc.laocai.example.invalid",
}


def run(args, tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "PYTEST", "DATABASE_URL", "DJANGO_"))}
    base["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    base.update(env)
    return subprocess.run(DONDOC + args, capture_output=True, text=True, env=base, timeout=120)


def test_deploy_check_is_clean_with_the_documented_production_settings(tmp_path):
    result = run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_https_is_the_default_outside_debug_and_plain_http_is_explicit(tmp_path):
    show = ["shell", "--no-imports", "-c", "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"]
    assert run(show, tmp_path, **PRODUCTION).stdout.split() == ["True", "True"]
    intranet = run(show, tmp_path, DONDOC_INSECURE_HTTP="1", **PRODUCTION)
    assert intranet.stdout.split() == ["False", "False"]
    check = run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, DONDOC_INSECURE_HTTP="1", **PRODUCTION)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_missing_secret_key_stops_the_web_server_not_the_tools(tmp_path):
    tool = run(["calendar", "add", "--from", "2020-01-20", "--days", "5", "--working"], tmp_path)
    assert tool.returncode == 0 and tool.stdout.strip() == "2020-02-03"
    deploy = run(["check", "--deploy"], tmp_path, DONDOC_ALLOWED_HOSTS="x")
    assert deploy.returncode != 0 and "DONDOC_SECRET_KEY is not set" in deploy.stderr
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "PYTEST", "DJANGO_"))}
    wsgi = subprocess.run([sys.executable, "-c", "import dondoc.wsgi"], capture_output=True, text=True,
                          env={**base, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}, timeout=60)
    assert wsgi.returncode != 0 and "DONDOC_SECRET_KEY is not set" in wsgi.stderr
    server = run(["runserver", "--noreload", "127.0.0.1:0"], tmp_path)
    assert server.returncode != 0 and "DONDOC_SECRET_KEY is not set" in server.stderr


def test_a_bad_pinned_date_is_refused(tmp_path):
    result = run(["check"], tmp_path, DONDOC_DEBUG="1", DONDOC_TODAY="05/10/2020")
    assert result.returncode != 0 and "DONDOC_TODAY must be YYYY-MM-DD" in result.stderr


def test_sqlite_database_url_runs_in_wal_mode(tmp_path):
    result = run(["migrate", "-v", "0"], tmp_path, DONDOC_DEBUG="1")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "db.sqlite3") as conn:
        assert conn.execute("pragma journal_mode").fetchone() == ("wal",)
    shown = run(["shell", "--no-imports", "-c", "from django.db import connection as c; c.ensure_connection(); "
                 "print(c.settings_dict['OPTIONS']['transaction_mode'], c.cursor().execute('pragma busy_timeout').fetchone()[0])"],
                tmp_path, DONDOC_DEBUG="1")
    assert shown.stdout.split() == ["IMMEDIATE", "20000"]


def test_the_pinned_clock_reaches_commands(tmp_path):
    result = run(["shell", "--no-imports", "-c", "from dondoc.core import clock; print(clock.today())"], tmp_path,
                 DONDOC_DEBUG="1", DONDOC_TODAY="2020-10-05")
    assert result.stdout.strip() == "2020-10-05"


def test_today_honours_the_pinned_date(settings):
    settings.DONDOC_TODAY = "2020-10-05"
    assert clock.today() == dt.date(2020, 10, 5)
    assert clock.now().date() == dt.date(2020, 10, 5)


def test_today_is_the_local_vietnamese_day(settings):
    settings.DONDOC_TODAY = None
    # 23:00 UTC on 04/10 is 06:00 on 05/10 in Hà Nội: a report sent then belongs to 05/10.
    utc = dt.datetime(2020, 10, 4, 23, 0, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=utc):
        assert clock.today() == dt.date(2020, 10, 5)


@pytest.mark.parametrize(("text", "day"), [("2020-10-05", dt.date(2020, 10, 5)), ("05/10/2020", dt.date(2020, 10, 5))])
def test_parse_date_reads_iso_and_vietnamese_order(text, day):
    assert clock.parse_date(text) == day


def test_parse_date_refuses_nonsense():
    with pytest.raises(ValueError, match="expected YYYY-MM-DD or dd/mm/yyyy"):
        clock.parse_date("31/02/2020")


def test_as_of_is_checked(db):
    with pytest.raises(CommandError, match="--as-of"):
        call_command("load_reference", as_of="tomorrow")


def test_home_shows_the_pinned_date(client_for, settings):
    settings.DONDOC_TODAY = "2020-10-05"
    response = client_for("officer").get("/")
    assert "05/10/2020" in response.text and "10/2020" in response.text


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit():
    """PostgreSQL's JIT compiled the investment overview's sums on every request (100–500 ms for a 60 ms query):
    every connection dondoc opens turns it off. SQLite has no JIT; the test runs in the PostgreSQL part."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: runs in the suite's PostgreSQL part")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
