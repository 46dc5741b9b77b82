"""dondoc serve — the whole product on one machine, in the foreground: web (gunicorn), worker and scheduler.

Before starting it refuses unapplied migrations (run `dondoc migrate`) and a missing DONDOC_SECRET_KEY, and
outside DEBUG collects the static files (whitenoise serves them from STATIC_ROOT with hashed names). Then it
supervises three child processes:

  web        python -m gunicorn -c python:dondoc.gunicorn_conf --bind ADDRESS [--workers N]
  worker     python -m dondoc worker
  scheduler  python -m dondoc scheduler

SIGTERM or Ctrl-C stops all three (SIGTERM to each, SIGKILL after a grace period) and exits 0. If one child dies
on its own, serve says which and how, stops the other two and exits 1: a supervisor (systemd's Restart=, or the
operator) restarts the whole, so the three never run half-started.
"""

import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from dondoc.core.scheduler import die_with_parent

STOP_GRACE = 30.0  # seconds each child gets after SIGTERM (gunicorn's graceful_timeout is 20)


def unapplied_migrations() -> list[str]:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


class Command(BaseCommand):
    help = "Run web (gunicorn), background worker and scheduler in the foreground until SIGTERM or Ctrl-C."
    requires_migrations_checks = False  # checked below, and refused rather than warned

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None, help="address for the web server (default: DONDOC_BIND or "
                                                         "127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=None, help="web processes (default: DONDOC_WEB_WORKERS or 2)")

    def children(self, options) -> dict[str, list[str]]:
        web = [sys.executable, "-m", "gunicorn", "-c", "python:dondoc.gunicorn_conf"]
        if options["bind"]:
            web += ["--bind", options["bind"]]
        if options["workers"]:
            web += ["--workers", str(options["workers"])]
        return {
            "web": web,
            "worker": [sys.executable, "-m", "dondoc", "worker"],
            "scheduler": [sys.executable, "-m", "dondoc", "scheduler"],
        }

    def say(self, text):
        self.stdout.write(f"serve: {text}")
        self.stdout.flush()

    def handle(self, *args, **options):
        if options["workers"] is not None and options["workers"] < 1:
            raise CommandError("--workers must be at least 1", returncode=2)
        if getattr(settings, "SECRET_KEY_EPHEMERAL", False):
            raise CommandError("DONDOC_SECRET_KEY is not set: set it (50+ random characters, docs/operations.md) "
                               "or run with DONDOC_DEBUG=1.")
        pending = unapplied_migrations()
        if pending:
            raise CommandError(f"{len(pending)} migration(s) not applied ({', '.join(pending[:5])}"
                               f"{', …' if len(pending) > 5 else ''}). Run `dondoc migrate` first.")
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
            self.say(f"static files collected in {settings.STATIC_ROOT}")
        connections.close_all()

        stop = threading.Event()

        def on_signal(signum, frame):
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGHUP, on_signal)

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # the children's lines reach the log as they are written
        processes: dict[str, subprocess.Popen] = {}
        failed = None
        try:
            for name, argv in self.children(options).items():
                processes[name] = subprocess.Popen(argv, env=env, start_new_session=True,
                                                   preexec_fn=die_with_parent)
                self.say(f"{name} started (pid {processes[name].pid})")
            bind = options["bind"] or settings_bind()
            self.say(f"dondoc at http://{bind}/ — database {describe_database()}; Ctrl-C or SIGTERM stops it")
            while not stop.is_set() and failed is None:
                for name, process in processes.items():
                    if process.poll() is not None:
                        failed = (name, process.returncode)
                        break
                else:
                    stop.wait(0.5)
        finally:
            if failed:
                self.say(f"{failed[0]} exited on its own with status {failed[1]}; stopping the others")
            else:
                self.say("stopping")
            clean = self.stop_all(processes)
        if failed:
            raise CommandError(f"{failed[0]} died (status {failed[1]}): dondoc stopped", returncode=1)
        if not clean:
            raise CommandError("a process had to be killed: dondoc stopped", returncode=1)
        self.say("stopped")

    def stop_all(self, processes: dict[str, subprocess.Popen]) -> bool:
        """SIGTERM every child still running, wait, SIGKILL the ones that outlive the grace period."""
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        clean = True
        deadline = time.monotonic() + STOP_GRACE
        for name, process in processes.items():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{name} did not stop within {STOP_GRACE:.0f} s: killed")
                process.kill()
                process.wait()
                clean = False
        return clean


def settings_bind() -> str:
    return os.environ.get("DONDOC_BIND", "127.0.0.1:8000")  # gunicorn_conf's default


def describe_database() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    return f"PostgreSQL {db.get('NAME')} on {db.get('HOST') or 'localhost'}"
