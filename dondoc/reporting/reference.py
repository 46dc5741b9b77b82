"""Reference data of the reporting cycle: the Vietnamese reminder templates (editable afterwards)."""

from django.db import transaction

from dondoc.core import audit

from .models import ReminderTemplate
from .reminders import DEFAULT_TEMPLATES


@transaction.atomic
def load(*, actor=None, **_) -> list[str]:
    created = 0
    for kind, (subject, body) in DEFAULT_TEMPLATES.items():
        row, made = ReminderTemplate.objects.get_or_create(kind=kind, defaults={"subject": subject, "body": body})
        if made:
            audit.record(actor=actor, kind="reminder_template.create", target=row, new={"kind": kind})
            created += 1
    return [f"reminder templates: {created} created, {ReminderTemplate.objects.count()} in all"]
