from django.core.management.base import CommandError

from dondoc.core.commands import AsOfCommand
from dondoc.domain import petition_clock
from dondoc.domain.workdays import CalendarRangeError
from dondoc.petitions import alerts, queries
from dondoc.petitions.models import Petition


class Command(AsOfCommand):
    help = "Create alerts and e-mails (outbox rows) for petitions overdue or due soon. Idempotent."

    def handle(self, *args, **options):
        as_of = self.as_of(options)
        try:
            rows = queries.deadline_rows(Petition.objects.select_related("category"), as_of,
                                         petition_clock.OVERDUE, petition_clock.DUE_SOON)
            created = alerts.check(as_of)
        except CalendarRangeError as exc:
            raise CommandError(f"--as-of: {exc}", returncode=1) from exc
        overdue = sum(r.state == petition_clock.OVERDUE for r in rows)
        self.stdout.write(f"as of {as_of.isoformat()}: {overdue} overdue, {len(rows) - overdue} due soon; "
                          f"{created} outbox message(s) created")
