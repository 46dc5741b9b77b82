"""The scheduler: owed runs at start, one run of a sweeper at a time, each run recorded (ok or failed with its
output), timeouts, shutdown. Subprocesses are replaced by fakes; time is passed in."""

import datetime as dt
import io
import sys
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from dondoc.core import scheduler
from dondoc.core.models import SweeperRun
from dondoc.core.scheduler import Scheduler, Sweeper
from dondoc.domain.schedule import Daily, Every

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAILY = Sweeper("check_deadlines", Daily(6))
MINUTE = Sweeper("send_outbox", Every(1), timeout=dt.timedelta(minutes=10))


def at(hh, mm, ss=0, day=10):
    return dt.datetime(2026, 3, day, hh, mm, ss, tzinfo=VN)


class FakeProcess:
    def __init__(self, argv, returncode=None, output=""):
        self.argv, self.returncode, self.text, self.signals = argv, returncode, output, []

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):
        return self.returncode

    def terminate(self):
        self.signals.append("TERM")
        self.returncode = -15

    def kill(self):
        self.signals.append("KILL")

    def output(self):
        return self.text


class Spawner:
    def __init__(self):
        self.started: list[FakeProcess] = []

    def __call__(self, argv):
        self.started.append(FakeProcess(argv))
        return self.started[-1]

    def names(self):
        return [p.argv[3] for p in self.started]


def make(*sweepers):
    spawn = Spawner()
    return Scheduler(sweepers, spawn=spawn, log=lambda line: None), spawn


def ok_run(name, started):
    return SweeperRun.objects.create(name=name, started_at=started, finished_at=started, status="ok")


def test_a_daily_sweeper_missed_while_the_machine_was_off_runs_once_at_start():
    ok_run("check_deadlines", at(6, 0, day=9))  # yesterday's ran; this morning's 06:00 was missed
    loop, spawn = make(DAILY)
    loop.start(at(9, 0))
    loop.tick(at(9, 0))
    assert spawn.names() == ["check_deadlines"]
    assert spawn.started[0].argv[:3] == [sys.executable, "-m", "dondoc"]
    spawn.started[0].returncode = 0
    loop.tick(at(9, 0, 5))
    loop.tick(at(12, 0))
    assert spawn.names() == ["check_deadlines"]  # once, not again until tomorrow 06:00
    loop.tick(at(6, 0, day=11))
    assert spawn.names() == ["check_deadlines", "check_deadlines"]


def test_a_sweeper_that_already_ran_today_waits_for_its_next_time():
    ok_run("check_deadlines", at(6, 0, 2))
    loop, spawn = make(DAILY)
    loop.start(at(9, 0))
    loop.tick(at(9, 0))
    loop.tick(at(23, 59))
    assert spawn.started == []


def test_never_two_runs_of_the_same_sweeper_at_once():
    loop, spawn = make(MINUTE)
    loop.start(at(9, 0))
    loop.tick(at(9, 0))
    loop.tick(at(9, 1))
    loop.tick(at(9, 2))  # the first run is still going: the minutes it covers are not queued up
    assert spawn.names() == ["send_outbox"]
    spawn.started[0].returncode = 0
    loop.tick(at(9, 2, 30))  # reaped; the next minute is 09:03
    loop.tick(at(9, 3))
    assert spawn.names() == ["send_outbox", "send_outbox"]


def test_a_run_still_open_in_another_process_is_not_doubled():
    SweeperRun.objects.create(name="send_outbox", started_at=at(8, 59, 50))  # e.g. a systemd timer's run
    assert scheduler.begin_run(MINUTE, at=at(9, 0)) is None
    assert SweeperRun.objects.filter(name="send_outbox").count() == 1
    # … unless it is older than the sweeper's timeout: then it is closed as abandoned and a new run opens.
    assert scheduler.begin_run(MINUTE, at=at(9, 30)) is not None
    old = SweeperRun.objects.get(started_at=at(8, 59, 50))
    assert old.status == "failed" and "timeout" in old.message


def test_each_run_is_recorded_with_its_output_or_its_error():
    loop, spawn = make(DAILY, MINUTE)
    loop.start(at(9, 0))
    loop.tick(at(9, 0))
    running = SweeperRun.objects.get(name="check_deadlines")
    assert running.status == "running" and running.finished_at is None
    spawn.started[0].returncode, spawn.started[0].text = 0, "3 dossier(s) overdue"
    spawn.started[1].returncode, spawn.started[1].text = 1, "Traceback …\nOperationalError: database is locked"
    loop.tick(at(9, 0, 20))
    done = SweeperRun.objects.get(name="check_deadlines")
    assert (done.status, done.message, done.finished_at) == ("ok", "3 dossier(s) overdue", at(9, 0, 20))
    failed = SweeperRun.objects.get(name="send_outbox")
    assert failed.status == "failed"
    assert "database is locked" in failed.message and "exit status 1" in failed.message


def test_a_run_past_its_timeout_is_killed_and_recorded_failed():
    loop, spawn = make(MINUTE)
    loop.start(at(9, 0))
    loop.tick(at(9, 0))
    loop.tick(at(9, 11))
    assert spawn.started[0].signals == ["KILL"]
    killed, fresh = SweeperRun.objects.order_by("started_at")
    assert killed.status == "failed" and "killed after its timeout" in killed.message
    assert fresh.status == "running" and len(spawn.started) == 2  # the schedule goes on


def test_a_sweeper_that_cannot_start_is_recorded_failed():
    def broken(argv):
        raise OSError("No such file or directory")

    loop = Scheduler((DAILY,), spawn=broken, log=lambda line: None)
    loop.start(at(9, 0))
    loop.tick(at(9, 0))
    run = SweeperRun.objects.get()
    assert run.status == "failed" and "could not start" in run.message


def test_stopping_stops_the_running_sweepers_and_says_so():
    loop, spawn = make(DAILY)
    loop.start(at(9, 0))
    loop.tick(at(9, 0))
    loop.stop(at(9, 0, 3))
    assert spawn.started[0].signals == ["TERM"]
    run = SweeperRun.objects.get()
    assert run.status == "failed" and "stopped with the scheduler" in run.message


def test_runs_left_open_by_a_dead_scheduler_are_closed_at_start_and_owed_again():
    SweeperRun.objects.create(name="check_deadlines", started_at=at(6, 0))  # scheduler killed -9 at 06:00:10
    loop, spawn = make(DAILY)
    loop.start(at(9, 0))
    loop.tick(at(9, 0))
    first = SweeperRun.objects.order_by("started_at").first()
    assert first.status == "failed" and "interrupted" in first.message
    assert spawn.names() == ["check_deadlines"]


def test_old_successful_runs_are_pruned_failures_are_kept():
    ok_run("send_outbox", at(9, 0, day=1))
    SweeperRun.objects.create(name="send_outbox", started_at=at(9, 1, day=1), status="failed")
    run = scheduler.begin_run(MINUTE, at=at(9, 0, day=20))
    scheduler.end_run(run, ok=True, message="sent 0", at=at(9, 0, 1, day=20))
    assert sorted(SweeperRun.objects.values_list("status", flat=True)) == ["failed", "ok"]


def test_the_schedule_names_real_commands_and_the_backup_goes_to_var(settings):
    argv = {s.name: s.argv() for s in scheduler.SCHEDULE}
    assert argv["backup"][3:] == ["backup", "--out", f"{settings.VAR_DIR}/backups", "--keep", "14"]
    installed = {s.name for s in scheduler.installed_schedule()}
    assert {"check_deadlines", "check_petitions", "send_reminders", "send_outbox", "backup"} <= installed


def test_scheduler_list_prints_each_sweeper_and_its_last_run():
    ok_run("check_deadlines", at(6, 0))
    out = io.StringIO()
    call_command("scheduler", "--list", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines()}
    assert "10/03/2026 06:00 ok" in lines["check_deadlines"]
    assert "never" in lines["send_outbox"]
