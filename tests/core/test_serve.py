"""`dondoc serve` refuses to start half-ready; the deploy/ files stay true to the settings they configure."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import dondoc

ROOT = Path(dondoc.__file__).resolve().parent.parent
DONDOC = [sys.executable, "-m", "dondoc"]
EXAMPLE = ROOT / "deploy" / "dondoc.env.example"


def run(args, tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DONDOC_", "PYTEST", "DATABASE_URL", "DJANGO_"))}
    base.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DONDOC_HOME=str(tmp_path))
    base.update(env)
    return subprocess.run(DONDOC + args, capture_output=True, text=True, env=base, timeout=120)


def test_serve_refuses_unapplied_migrations_and_says_what_to_run(tmp_path):
    result = run(["serve", "--bind", "127.0.0.1:1"], tmp_path, DONDOC_SECRET_KEY="k" * 60, DONDOC_INSECURE_HTTP="1")
    assert result.returncode == 1
    assert "not applied" in result.stderr and "dondoc migrate" in result.stderr
    assert not (tmp_path / "var" / "static").exists()  # refused before doing anything


def test_serve_refuses_to_start_without_a_secret_key(settings):
    settings.SECRET_KEY_EPHEMERAL = True  # what settings.py sets when DONDOC_SECRET_KEY is missing outside DEBUG
    with pytest.raises(CommandError, match="DONDOC_SECRET_KEY is not set"):
        call_command("serve")


def example_settings() -> dict[str, str]:
    return dict(line.split("=", 1) for line in EXAMPLE.read_text().splitlines() if line and not line.startswith("#"))


def test_the_env_example_names_every_variable_dondoc_reads():
    read = set()
    for source in (ROOT / "dondoc" / "settings.py", ROOT / "dondoc" / "gunicorn_conf.py"):
        read |= set(re.findall(r"""(?:environ\.get|env_bool|environ\[)\(?\s*["']([A-Z_]+)["']""", source.read_text()))
    named = set(re.findall(r"^#?([A-Z][A-Z_]+)=", EXAMPLE.read_text(), re.MULTILINE))
    assert read - {"DJANGO_SETTINGS_MODULE"} <= named, f"missing from {EXAMPLE.name}: {sorted(read - named)}"


def test_deploy_check_is_clean_with_the_env_example(tmp_path):
    env = {**example_settings(), "DONDOC_SECRET_KEY": "x7-Kq2vLp9sR4tW8yZ1aB3cD5eF6gH0jN_mP-uV8wX2zQ4rT6yU1iO3pA5sD7fG9h"}
    env.pop("DONDOC_HOME")
    result = run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("unit", ["dondoc.service", "dondoc-web.service", "dondoc-worker.service",
                                  "dondoc-scheduler.service", "dondoc-sweep@.service"])
def test_systemd_units_read_the_env_file_and_run_dondoc(unit):
    text = (ROOT / "deploy" / "systemd" / unit).read_text()
    assert "EnvironmentFile=/etc/dondoc/dondoc.env" in text
    assert re.search(r"^ExecStart=/srv/dondoc/app/\.venv/bin/(dondoc|python -m gunicorn -c python:dondoc\.gunicorn_conf)",
                     text, re.MULTILINE)


def test_a_timer_for_every_scheduled_sweeper_at_the_same_time():
    from dondoc.core.scheduler import SCHEDULE
    from dondoc.domain.schedule import Daily

    for sweeper in SCHEDULE:
        timer = (ROOT / "deploy" / "systemd" / f"dondoc-sweep-{sweeper.name}.timer").read_text()
        calendar = re.search(r"^OnCalendar=(.+)$", timer, re.MULTILINE).group(1)
        if isinstance(sweeper.spec, Daily):
            assert f"{sweeper.spec.hour:02d}:{sweeper.spec.minute:02d}:00" in calendar
        else:
            assert "*:*:00" in calendar and sweeper.spec.minutes == 1


def test_nginx_takes_the_largest_upload_dondoc_accepts():
    from dondoc.investment.jobs import MAX_UPLOAD_BYTES

    site = (ROOT / "deploy" / "nginx" / "dondoc.conf").read_text()
    sizes = [int(m) * 1024 * 1024 for m in re.findall(r"client_max_body_size (\d+)m;", site)]
    assert max(sizes) >= MAX_UPLOAD_BYTES
    assert "X-Forwarded-Proto" in (ROOT / "deploy" / "nginx" / "dondoc-proxy.conf").read_text()
