from dondoc.core.commands import AsOfCommand
from dondoc.deadlines import alerts


class Command(AsOfCommand):
    help = "Create alerts and e-mails (outbox rows) for dossiers overdue or due soon. Idempotent."

    def handle(self, *args, **options):
        as_of = self.as_of(options)
        c = alerts.check_deadlines(as_of=as_of)
        self.stdout.write(
            f"as of {as_of.isoformat()}: {c['overdue']} overdue, {c['due_soon']} due soon; "
            f"{c['alerts']} alert(s) and {c['emails']} e-mail(s) created"
        )
        if c["no_email"]:
            self.stdout.write(f"no contact e-mail for: {', '.join(c['no_email'])} (alerts only)")
