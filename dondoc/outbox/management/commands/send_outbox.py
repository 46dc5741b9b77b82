from django.core.management.base import BaseCommand

from dondoc.core import clock
from dondoc.outbox import actions


class Command(BaseCommand):
    help = "Send pending e-mails of the outbox through Django's e-mail backend; failures are kept and retried."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="send at most this many messages")

    def handle(self, *args, **options):
        counts = actions.send_pending(at=clock.now(), limit=options["limit"])
        self.stdout.write(f"sent {counts['sent']}, failed {counts['failed']}, skipped {counts['skipped']}")
