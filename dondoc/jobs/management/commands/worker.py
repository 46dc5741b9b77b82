"""`dondoc worker`: the background worker. django-tasks-db's own worker loop (claiming, running, graceful stop on
SIGTERM/SIGINT) plus a heartbeat row (``core.WorkerHeartbeat``) refreshed every few seconds from a small thread —
also while a task holds the database — and the detection of jobs whose previous worker died (at start and every
minute). `dondoc serve` starts exactly this command."""

from __future__ import annotations

import logging
import os
import socket
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker, valid_interval, valid_max_tasks

from dondoc.core.models import WorkerHeartbeat
from dondoc.jobs import runner

log = logging.getLogger("dondoc.worker")


class Heartbeat:
    """Writes the worker's row at start, every ``every`` seconds and at exit. A write that meets a locked or
    unreachable database is skipped (logged), never fatal: the next beat tries again. Operational state, not a
    business fact: no audit row per beat."""

    def __init__(self, worker_id: str, every: float, orphan_check_every: float = 60):
        self.worker_id, self.every = worker_id, every
        self.checks_every = max(1, round(orphan_check_every / every))
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="dondoc-heartbeat", daemon=True)

    def beat(self, stopped: bool = False) -> bool:
        now = timezone.now()
        values = {"hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": self.started_at,
                  "seen_at": now, "current": runner.current()}
        if stopped:  # a late regular beat never clears it: a worker id is used by one process only
            values["stopped_at"] = now
        try:
            WorkerHeartbeat.objects.update_or_create(worker_id=self.worker_id, defaults=values)
        except DatabaseError as exc:
            log.warning("heartbeat skipped: %s", exc)
            return False
        return True

    def start(self) -> None:
        self.beat()
        self._thread.start()

    def _loop(self) -> None:
        n = 0
        try:
            while not self._stop.wait(self.every):
                self.beat()
                n += 1
                if n % self.checks_every == 0:
                    try:
                        runner.fail_orphans()
                    except DatabaseError as exc:
                        log.warning("orphan check skipped: %s", exc)
        finally:
            connection.close()

    def stop(self) -> None:
        """The last beat, with ``stopped_at``. Written from a thread of its own (its own connection): the signal
        that stopped the worker may have interrupted the main thread in the middle of a query."""
        self._stop.set()
        self._thread.join(timeout=self.every + 1)
        last = threading.Thread(target=self._last_beat, name="dondoc-heartbeat-last")
        last.start()
        last.join()

    def _last_beat(self) -> None:
        try:
            for _ in range(3):
                if self.beat(stopped=True):
                    return
        finally:
            connection.close()


class Command(BaseCommand):
    help = "Run the background worker: queued uploads and imports, with a heartbeat."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=valid_interval, default=1.0,
                            help="Seconds between polls of an empty queue (default 1).")
        parser.add_argument("--heartbeat", type=valid_interval, default=5.0,
                            help="Seconds between heartbeats (default 5).")
        parser.add_argument("--max-tasks", type=valid_max_tasks, default=None,
                            help="Exit after running this many tasks.")
        parser.add_argument("--once", action="store_true", help="Run the tasks already queued, then exit.")
        parser.add_argument("--queue-name", default="default", help="Queues to process, comma-separated.")
        parser.add_argument("--worker-id", default="", help="Unique id of this worker (default: host-pid-random).")

    def handle(self, *args, **options):
        DbWorkerCommand.configure_logging(self, options["verbosity"])  # the library's task log lines, on stdout
        for name in ("dondoc.worker", "dondoc.jobs"):
            logger = logging.getLogger(name)
            if not logger.hasHandlers():
                logger.addHandler(logging.StreamHandler(self.stderr))
                logger.setLevel(logging.INFO if options["verbosity"] else logging.WARNING)
        worker_id = (options["worker_id"] or
                     f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}")[:64]
        runner.set_runner(worker_id)
        beat = Heartbeat(worker_id, options["heartbeat"] or 5.0)
        beat.start()
        try:
            runner.fail_orphans()
        except DatabaseError as exc:
            log.warning("orphan check skipped: %s", exc)
        worker = Worker(queue_names=options["queue_name"].split(","), interval=options["interval"],
                        batch=options["once"], backend_name="default", startup_delay=False,
                        max_tasks=options["max_tasks"], worker_id=worker_id, excluded_queue_names=[])
        worker.configure_signals()
        if options["verbosity"]:
            self.stdout.write(f"worker {worker_id} started")
        code = 0
        try:
            worker.run()
        except SystemExit as exc:  # the library's signal handler exits from wherever the loop was
            code = exc.code or 0
        finally:
            worker.reset_signals()
            beat.stop()
        if options["verbosity"]:
            self.stdout.write(f"worker {worker_id} stopped")
        if code:
            raise SystemExit(code)
