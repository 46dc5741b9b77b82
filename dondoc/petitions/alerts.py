"""The petitions sweeper: outbox rows for petitions overdue or due soon. Idempotent: the rule key names the
petition, the condition, the lead agency and the due date, so a second run creates nothing, while a
re-routing (new agency or new deadline) gives new alerts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from dondoc.core import clock as core_clock
from dondoc.domain import petition_clock
from dondoc.domain.formats import format_date
from dondoc.outbox import actions as outbox
from dondoc.outbox.models import Channel

from . import queries
from .models import Petition


def _texts(row: queries.Row, as_of: dt.date) -> tuple[str, str]:
    p = row.petition
    values = {"ref": p.reference, "agency": p.lead_agency.code, "subject": p.subject,
              "due": format_date(p.due_on), "rule": p.deadline_rule, "days": row.status.days_late,
              "as_of": format_date(as_of), "category": p.category.name}
    if row.state == petition_clock.OVERDUE:
        subject = _("[dondoc] Overdue petition %(ref)s (%(agency)s)") % values
        first = _("The answer to petition %(ref)s is overdue by %(days)s working day(s) as of %(as_of)s.") % values
    else:
        subject = _("[dondoc] Petition %(ref)s to be answered by %(due)s (%(agency)s)") % values
        first = _("The answer to petition %(ref)s is due on %(due)s.") % values
    body = "\n".join([
        first, "",
        _("Subject: %(subject)s") % values,
        _("Category: %(category)s") % values,
        _("Deadline: %(rule)s") % values,
    ])  # no petitioner data in alerts or e-mails
    return subject, body


@transaction.atomic
def check(as_of: dt.date, actor=None, *, at: dt.datetime | None = None) -> int:
    """Alerts (and e-mails, when the lead agency has an address) for petitions overdue or due soon as of
    ``as_of`` (business time ``at``, by default ``as_of`` at this time of day). Returns the number of outbox
    rows created (0 on a second run)."""
    at = at or core_clock.moment(as_of)
    petitions = Petition.objects.select_related("category", "lead_agency")
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for row in queries.deadline_rows(petitions, as_of, petition_clock.OVERDUE, petition_clock.DUE_SOON):
            p = row.petition
            key = f"petitions.{row.state}:petition:{p.pk}:{p.lead_agency.code}:{p.due_on.isoformat()}"
            subject, body = _texts(row, as_of)
            _m, new = outbox.enqueue(rule_key=f"{key}:alert", channel=Channel.ALERT, recipient=p.lead_agency.code,
                                     subject=subject, body=body, agency=p.lead_agency, actor=actor, at=at)
            created += new
            if p.lead_agency.email:
                _m, new = outbox.enqueue(rule_key=f"{key}:email", recipient=p.lead_agency.email, subject=subject,
                                         body=body, agency=p.lead_agency, actor=actor, at=at)
                created += new
    return created
