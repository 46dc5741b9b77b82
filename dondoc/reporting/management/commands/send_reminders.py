from django.core.management import call_command

from dondoc.core.commands import AsOfCommand
from dondoc.reporting import reminders


class Command(AsOfCommand):
    help = "Queue the reporting reminders due on --as-of (D−5, D−2, D+1, escalation D+3) and send the outbox."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-send", action="store_true", help="only queue; `dondoc send_outbox` sends later")

    def handle(self, *args, **options):
        as_of = self.as_of(options)
        counts = reminders.queue(as_of=as_of)
        self.stdout.write(f"{as_of}: queued {counts['before']} before, {counts['after']} after, "
                          f"{counts['escalate']} escalations; {counts['already_queued']} already queued; "
                          f"{counts['no_address']} without an e-mail address")
        if not options["no_send"]:
            call_command("send_outbox", stdout=self.stdout, stderr=self.stderr)
