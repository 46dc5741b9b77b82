"""Writes to the outbox. enqueue() is idempotent by rule key; send_pending() delivers e-mails.

Enqueueing is audited (which rule produced which message, for whom); delivery attempts are not: the row
itself (state, attempts, last error, sent_at) is the delivery log.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F

from dondoc.core import audit

from .models import Channel, Message, State

MAX_ATTEMPTS = 5


@transaction.atomic
def enqueue(*, rule_key: str, recipient: str, subject: str, body: str, at: dt.datetime, agency=None, actor=None,
            channel: str = Channel.EMAIL) -> tuple[Message, bool]:
    """The message of ``rule_key``, created unless it exists. Alerts (in-app) are delivered on creation, at
    ``at`` (the sweep's business time; ``created_at`` stays real time, it orders the queue)."""
    existing = Message.objects.filter(rule_key=rule_key).first()
    if existing is not None:
        return existing, False
    alert = channel == Channel.ALERT
    message = Message.objects.create(
        rule_key=rule_key, channel=channel, recipient=recipient, subject=subject[:255], body=body, agency=agency,
        state=State.SENT if alert else State.PENDING, sent_at=at if alert else None,
    )
    audit.record(actor=actor, kind="outbox.enqueue", target=message, agency=agency,
                 new={"rule": rule_key, "channel": channel, "recipient": recipient}, at=at)
    return message, True


def due_for_sending(limit: int | None = None):
    qs = Message.objects.filter(channel=Channel.EMAIL, state__in=[State.PENDING, State.FAILED],
                                attempts__lt=MAX_ATTEMPTS).order_by("created_at", "id")
    return qs[:limit] if limit else qs


def send_pending(*, at: dt.datetime, limit: int | None = None) -> dict[str, int]:
    """Send pending (and failed, under MAX_ATTEMPTS) e-mails. Each row is claimed by bumping ``attempts``
    with a compare-and-set, so two concurrent runs never send the same row twice; a crash after the claim
    leaves the row to be retried (at-least-once). ``sent_at`` is the run's business time ``at``."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    connection = get_connection()
    for message in list(due_for_sending(limit)):
        claimed = Message.objects.filter(pk=message.pk, attempts=message.attempts, state=message.state).update(
            attempts=F("attempts") + 1
        )
        if not claimed:
            counts["skipped"] += 1
            continue
        try:
            EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient],
                         connection=connection).send()
        except Exception as exc:  # any backend failure is recorded and retried next run
            Message.objects.filter(pk=message.pk).update(state=State.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:2000])
            counts["failed"] += 1
        else:
            Message.objects.filter(pk=message.pk).update(state=State.SENT, sent_at=at, last_error="")
            counts["sent"] += 1
    return counts
