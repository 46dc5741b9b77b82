"""The product's scheduler: which sweeper runs when (SCHEDULE, the one place), and the loop that runs them.

Each run is a ``SweeperRun`` row (running → ok/failed, with the command's output or error) and a subprocess
(``python -m dondoc <command>``), so that a sweeper that crashes or leaks cannot take the scheduler with it. The
scheduler keeps real time (``timezone.now()``, local zone for "daily 06:00"); the sweepers themselves read the
product's clock. Rules (docs/operations.md, "The scheduler"):

- never two runs of the same sweeper at once (in this process, and across processes through the running row);
- a run owed when the scheduler starts (no successful run since the latest scheduled instant: the machine was
  off, or the last run failed) runs once, at start;
- a run longer than its timeout is killed and recorded failed; a row left "running" by a scheduler that died is
  closed as failed when the next scheduler starts (or when it is older than the sweeper's timeout).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import get_commands
from django.db import IntegrityError, transaction
from django.utils import timezone

from dondoc.domain import schedule
from dondoc.domain.schedule import Daily, Every

from . import logs
from .models import SweeperRun

OUTPUT_KEPT = 4000  # characters of a run's output kept in its row
KEEP_OK_RUNS = dt.timedelta(days=14)  # successful runs older than this are pruned (send_outbox runs every minute)
HEALTH_GRACE = dt.timedelta(minutes=10)  # /healthz: a sweeper is overdue this long after its scheduled instant


@dataclass(frozen=True)
class Sweeper:
    name: str  # the management command, also the SweeperRun name
    spec: schedule.Spec
    args: tuple[str, ...] = ()  # "{var}" is replaced by the installation's var/ directory
    timeout: dt.timedelta = dt.timedelta(minutes=30)

    def argv(self) -> list[str]:
        return [sys.executable, "-m", "dondoc", self.name, *(a.format(var=settings.VAR_DIR) for a in self.args)]


SCHEDULE: tuple[Sweeper, ...] = (
    Sweeper("backup", Daily(2, 0), ("--out", "{var}/backups", "--keep", "14"), timeout=dt.timedelta(hours=2)),
    Sweeper("check_deadlines", Daily(6, 0)),
    Sweeper("check_petitions", Daily(6, 30)),
    Sweeper("send_reminders", Daily(7, 0)),
    Sweeper("send_outbox", Every(1), timeout=dt.timedelta(minutes=10)),
)


def installed_schedule() -> tuple[Sweeper, ...]:
    """The sweepers of SCHEDULE whose command exists in this installation."""
    commands = get_commands()
    return tuple(s for s in SCHEDULE if s.name in commands)


def local(now: dt.datetime) -> dt.datetime:
    return timezone.localtime(now)


def last_ok_start(name: str) -> dt.datetime | None:
    return (SweeperRun.objects.filter(name=name, status=SweeperRun.Status.OK)
            .order_by("-started_at").values_list("started_at", flat=True).first())


# --- the records (operational facts, not business data: no audit event; the row is the record) -------------

@transaction.atomic
def begin_run(sweeper: Sweeper, *, at: dt.datetime) -> SweeperRun | None:
    """Open a run of ``sweeper``, or None when one is already running (a row younger than its timeout)."""
    running = SweeperRun.objects.filter(name=sweeper.name, status=SweeperRun.Status.RUNNING)
    running.filter(started_at__lt=at - sweeper.timeout).update(
        status=SweeperRun.Status.FAILED, finished_at=at, message="abandoned: still running after its timeout")
    if running.exists():
        return None
    try:
        with transaction.atomic():  # one running row per sweeper (a constraint: PostgreSQL does not serialise this)
            return SweeperRun.objects.create(name=sweeper.name, started_at=at)
    except IntegrityError:  # another scheduler or `--run` opened it in between
        return None


def end_run(run: SweeperRun, *, ok: bool, message: str, at: dt.datetime) -> None:
    run.status = SweeperRun.Status.OK if ok else SweeperRun.Status.FAILED
    run.finished_at = at
    run.message = message[-OUTPUT_KEPT:]
    run.save(update_fields=["status", "finished_at", "message"])
    SweeperRun.objects.filter(name=run.name, status=SweeperRun.Status.OK, started_at__lt=at - KEEP_OK_RUNS).delete()


def close_interrupted(*, at: dt.datetime) -> int:
    """Runs left "running" by a scheduler that stopped without closing them (one scheduler per database)."""
    return SweeperRun.objects.filter(status=SweeperRun.Status.RUNNING).update(
        status=SweeperRun.Status.FAILED, finished_at=at, message="interrupted: the scheduler stopped during the run")


# --- processes ------------------------------------------------------------------------------------------------

def die_with_parent() -> None:
    """In a child, before exec: receive SIGTERM if its parent (serve, the scheduler) is killed (Linux), so that no
    child is orphaned — a sweeper left running would otherwise run again beside the next scheduler's."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Process:
    """A sweeper's subprocess, its output collected in a temporary file (no pipe to fill up)."""

    def __init__(self, argv: list[str]):
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by output()
        self._popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self._out, stderr=subprocess.STDOUT,
                                       start_new_session=True, preexec_fn=die_with_parent)

    def poll(self) -> int | None:
        return self._popen.poll()

    def wait(self, timeout: float | None = None) -> int:
        return self._popen.wait(timeout)

    def terminate(self) -> None:
        self._popen.terminate()

    def kill(self) -> None:
        self._popen.kill()
        self._popen.wait()

    def output(self) -> str:
        self._out.seek(0)
        text = self._out.read().decode("utf-8", errors="replace")
        self._out.close()
        return text.strip()


def outcome(returncode: int | None, output: str) -> tuple[bool, str]:
    if returncode == 0:
        return True, output
    reason = "killed after its timeout" if returncode is None else f"exit status {returncode}"
    return False, f"{output}\n[{reason}]".strip()


class Scheduler:
    """Call ``start(now)`` once, then ``tick(now)`` every few seconds, and ``stop(now)`` at the end."""

    def __init__(self, sweepers: tuple[Sweeper, ...], *, spawn: Callable[[list[str]], Process] = Process,
                 log: Callable[[str], None] = print):
        self.sweepers = sweepers
        self.spawn = spawn
        self.log = log
        self.next_at: dict[str, dt.datetime] = {}
        self.running: dict[str, tuple[Sweeper, SweeperRun, Process]] = {}

    def start(self, now: dt.datetime) -> None:
        if closed := close_interrupted(at=now):
            self.log(f"{closed} run(s) left running by a previous scheduler recorded as failed")
        for s in self.sweepers:
            owed = schedule.missed(s.spec, last_ok_start(s.name), local(now))
            self.next_at[s.name] = now if owed else schedule.next_due(s.spec, local(now))
            self.log(f"{s.name}: {s.spec}, next run {'now (owed)' if owed else local(self.next_at[s.name])}")

    def tick(self, now: dt.datetime) -> None:
        self.reap(now)
        for s in self.sweepers:
            if s.name in self.running or now < self.next_at[s.name]:
                continue
            self.next_at[s.name] = schedule.next_due(s.spec, local(now))
            run = begin_run(s, at=now)
            if run is None:
                self.log(f"{s.name}: already running elsewhere, skipped")
                continue
            try:
                process = self.spawn(s.argv())
            except OSError as exc:
                end_run(run, ok=False, message=f"could not start: {exc}", at=now)
                self.log(f"{s.name}: could not start: {exc}")
                continue
            self.running[s.name] = (s, run, process)

    def reap(self, now: dt.datetime) -> None:
        for name, (s, run, process) in list(self.running.items()):
            returncode = process.poll()
            if returncode is None:
                if now - run.started_at <= s.timeout:
                    continue
                process.kill()
            ok, message = outcome(returncode, process.output())
            end_run(run, ok=ok, message=message, at=now)
            logs.log_job(name, "ok" if ok else "failed", (now - run.started_at).total_seconds(), run=run.pk)
            del self.running[name]
            last_line = message.splitlines()[-1] if message else ""
            self.log(f"{name}: {'ok' if ok else 'FAILED'} ({(now - run.started_at).total_seconds():.1f} s) {last_line}")

    def stop(self, now: dt.datetime, *, wait: float = 10.0) -> None:
        """Stop the running sweepers (SIGTERM, then SIGKILL after ``wait`` seconds); each is recorded failed."""
        for _s, _run, process in self.running.values():
            process.terminate()
        for name, (_s, run, process) in list(self.running.items()):
            try:
                process.wait(wait)
            except subprocess.TimeoutExpired:
                process.kill()
            end_run(run, ok=False, message=f"{process.output()}\n[stopped with the scheduler]".strip(), at=now)
            self.log(f"{name}: stopped with the scheduler")
            del self.running[name]


def run_once(sweeper: Sweeper, *, now: Callable[[], dt.datetime] = timezone.now,
             spawn: Callable[[list[str]], Process] = Process) -> SweeperRun | None:
    """Run one sweeper now, recorded, and wait for it (``dondoc scheduler --run NAME``, for systemd timers)."""
    run = begin_run(sweeper, at=now())
    if run is None:
        return None
    process = spawn(sweeper.argv())
    try:
        returncode = process.wait(sweeper.timeout.total_seconds())
    except subprocess.TimeoutExpired:
        process.kill()
        returncode = None
    ok, message = outcome(returncode, process.output())
    end_run(run, ok=ok, message=message, at=now())
    logs.log_job(sweeper.name, "ok" if ok else "failed", (run.finished_at - run.started_at).total_seconds(),
                 run=run.pk)
    return run
