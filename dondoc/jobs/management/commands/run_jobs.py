"""dondoc run_jobs — run the queued background jobs (uploads through the pages) in this process, through the same
code a worker runs (``dondoc.jobs.runner.run``), and mark failed the jobs whose worker died. A manual fallback
when no worker runs; `dondoc worker` is the normal way."""

from django.core.management.base import BaseCommand

from dondoc.jobs import runner


class Command(BaseCommand):
    help = "Run queued background jobs (uploads) in this process; `dondoc worker` is the normal way."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="at most this many jobs")

    def handle(self, *args, **options):
        done = runner.run_pending(limit=options["limit"])
        self.stdout.write(f"{done} job(s) processed")
