"""dondoc scheduler — run the sweepers on their schedule (dondoc.core.scheduler.SCHEDULE) until stopped.

Started by `dondoc serve`; alone, for a machine that runs web and worker elsewhere; or replaced by the systemd
timers in deploy/, which call `dondoc scheduler --run NAME`. Run one scheduler per database.
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dondoc.core import scheduler


class Command(BaseCommand):
    help = "Run the sweepers on their schedule until stopped (SIGTERM/Ctrl-C); or list them, or run one now."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="print the schedule and each sweeper's last run")
        parser.add_argument("--run", metavar="NAME", help="run this sweeper once now, recorded, and exit with its status")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between checks (default 5)")

    def handle(self, *args, **options):
        sweepers = scheduler.installed_schedule()
        missing = sorted({s.name for s in scheduler.SCHEDULE} - {s.name for s in sweepers})
        if options["list"]:
            return self.list(sweepers, missing)
        if options["run"]:
            return self.run_one(sweepers, options["run"])
        for name in missing:
            self.stderr.write(f"scheduler: {name}: command not installed, not scheduled")
        stop = threading.Event()

        def on_signal(signum, frame):
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        loop = scheduler.Scheduler(sweepers, log=lambda line: self.stdout.write(f"scheduler: {line}"))
        loop.start(timezone.now())
        try:
            while not stop.is_set():
                loop.tick(timezone.now())
                stop.wait(options["tick"])
        finally:
            loop.stop(timezone.now())
        self.stdout.write("scheduler: stopped")

    def list(self, sweepers, missing):
        now = timezone.now()
        for s in sweepers:
            last = scheduler.SweeperRun.objects.filter(name=s.name).first()
            when = timezone.localtime(last.started_at).strftime("%d/%m/%Y %H:%M") if last else "never"
            nxt = scheduler.schedule.next_due(s.spec, scheduler.local(now)).strftime("%d/%m/%Y %H:%M")
            self.stdout.write(f"{s.name:<16} {s.spec!s:<16} last {when} {last.status if last else ''}  next {nxt}")
        for name in missing:
            self.stdout.write(f"{name:<16} (command not installed)")

    def run_one(self, sweepers, name):
        by_name = {s.name: s for s in sweepers}
        if name not in by_name:
            raise CommandError(f"no scheduled sweeper named {name!r} (known: {', '.join(by_name)})", returncode=2)
        run = scheduler.run_once(by_name[name])
        if run is None:
            raise CommandError(f"{name} is already running", returncode=1)
        self.stdout.write(run.message)
        if run.status != run.Status.OK:
            raise CommandError(f"{name} failed", returncode=1)
