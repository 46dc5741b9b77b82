"""The deadline sweeper: outbox rows for dossiers overdue or due soon. Idempotent: the rule key names the
dossier, the condition and the due date, so a second run creates nothing, and a due date moved by a pause
gives a new alert."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from dondoc.core import clock
from dondoc.domain import sla
from dondoc.domain.formats import format_date
from dondoc.outbox import actions as outbox
from dondoc.outbox.models import Channel

from . import queries
from .models import Dossier


def _texts(row: queries.Row, as_of: dt.date) -> tuple[str, str]:
    d, c = row.dossier, row.clock
    values = {"ref": d.reference, "agency": d.agency.code, "subject": d.subject, "type": d.type.name,
              "due": format_date(c.due), "rule": c.deadline.explanation, "days": c.days_late,
              "as_of": format_date(as_of), "received": format_date(d.received_on)}
    if row.state == sla.OVERDUE:
        subject = _("[dondoc] Overdue dossier %(ref)s (%(agency)s)") % values
        first = _("Dossier %(ref)s is overdue by %(days)s day(s) as of %(as_of)s.") % values
    else:
        subject = _("[dondoc] Dossier %(ref)s due on %(due)s (%(agency)s)") % values
        first = _("Dossier %(ref)s is due on %(due)s.") % values
    body = "\n".join([
        first, "",
        _("Type: %(type)s") % values,
        _("Subject: %(subject)s") % values,
        _("Received on: %(received)s") % values,
        _("Deadline: %(rule)s") % values,
    ])
    return subject, body


@transaction.atomic
def check_deadlines(*, as_of: dt.date, at: dt.datetime | None = None, actor=None) -> dict[str, int | list[str]]:
    """Outbox rows for dossiers overdue or due soon as of ``as_of``, at business time ``at`` (by default
    ``as_of`` at this time of day)."""
    at = at or clock.moment(as_of)
    active = Dossier.objects.filter(received_on__lte=as_of).filter(
        Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)
    )
    states = queries.States(active, as_of)  # only those overdue or due soon get their clock
    dossiers = active.filter(states.q(sla.OVERDUE) | states.q(sla.DUE_SOON))
    counts: dict = {"overdue": 0, "due_soon": 0, "alerts": 0, "emails": 0, "no_email": []}
    with translation.override(settings.LANGUAGE_CODE):
        for row in states.rows(dossiers):
            if row.state not in (sla.OVERDUE, sla.DUE_SOON):
                continue
            counts[row.state] += 1
            d = row.dossier
            key = f"deadlines.{row.state}:dossier:{d.pk}:{row.clock.due.isoformat()}"
            subject, body = _texts(row, as_of)
            _m, created = outbox.enqueue(rule_key=f"{key}:alert", channel=Channel.ALERT, recipient=d.agency.code,
                                         subject=subject, body=body, agency=d.agency, actor=actor, at=at)
            counts["alerts"] += created
            if d.agency.email:
                _m, created = outbox.enqueue(rule_key=f"{key}:email", recipient=d.agency.email, subject=subject,
                                             body=body, agency=d.agency, actor=actor, at=at)
                counts["emails"] += created
            elif d.agency.code not in counts["no_email"]:
                counts["no_email"].append(d.agency.code)
    return counts
