"""dondoc run_jobs — process the queued import jobs (uploads through the page). Idempotent; run it from a timer
too, so a job queued while the web process was restarting is not left behind."""

from django.core.management.base import BaseCommand

from dondoc.investment import jobs


class Command(BaseCommand):
    help = "Process queued investment import jobs."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="at most this many jobs")

    def handle(self, *args, **options):
        done = jobs.run_pending(limit=options["limit"])
        self.stdout.write(f"{done} job(s) processed")
