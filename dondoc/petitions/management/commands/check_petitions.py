from django.core.management.base import CommandError

from dondoc.core.commands import AsOfCommand
from dondoc.domain.workdays import CalendarRangeError
from dondoc.petitions import alerts, queries
from dondoc.petitions.models import Petition


class Command(AsOfCommand):
    help = "Create alerts and e-mails (outbox rows) for petitions overdue or due soon. Idempotent."

    def handle(self, *args, **options):
        as_of = self.as_of(options)
        try:
            counts = queries.counts(Petition.objects.all(), as_of)
            created = alerts.check(as_of)
        except CalendarRangeError as exc:
            raise CommandError(f"--as-of: {exc}", returncode=1) from exc
        self.stdout.write(f"as of {as_of.isoformat()}: {counts['overdue']} overdue, {counts['due_soon']} due soon; "
                          f"{created} outbox message(s) created")
