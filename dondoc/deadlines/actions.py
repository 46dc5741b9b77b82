"""Writes: calendar overrides, dossier types, dossiers and their clock events. Atomic and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.core import audit, calendar
from dondoc.core.models import CalendarOverride, OverrideKind
from dondoc.domain import sla
from dondoc.domain.formats import format_date
from dondoc.domain.workdays import CalendarRangeError, Pause

from .models import Dossier, DossierPause, DossierType

OVERRIDE_FIELDS = ["date", "kind", "name", "reference"]
TYPE_FIELDS = ["code", "name", "days", "working", "start_event", "legal_basis", "agency", "due_soon_days"]
DOSSIER_FIELDS = ["type", "agency", "reference", "subject", "received_on", "days", "working", "completed_on", "note"]


def _require(actor, action: str, obj=None) -> None:
    """Commands and loaders act as the system (``actor`` None); a person needs the permission."""
    if actor is not None and not access.can(actor, action, obj):
        raise PermissionDenied


def _in_calendar(day: dt.date, label: str) -> None:
    years = calendar.YEARS
    if day.year not in years:
        raise ValidationError(
            _("%(label)s %(date)s is outside the working calendar (%(first)s–%(last)s).")
            % {"label": label, "date": format_date(day), "first": years.start, "last": years.stop - 1}
        )


# --- stored clock dates (sla.clock_dates) ----------------------------------------------------------------

CLOCK_FIELDS = ["due_on", "due_soon_from", "clock_settled_on"]


def _dates(cal, row: dict, pauses: list[Pause]) -> sla.ClockDates:
    try:
        return sla.clock_dates(cal, received_on=row["received_on"], days=row["days"], working=row["working"],
                               pauses=pauses, completed_on=row["completed_on"],
                               due_soon_days=row["type__due_soon_days"])
    except CalendarRangeError:  # a due date past the calendar's years: no stored date, clock() says why
        return sla.ClockDates(None, None, dt.date.max)


def refresh_clocks(*, dossiers=None, cal=None, batch: int = 2000) -> int:
    """Recompute the stored clock dates of ``dossiers`` (a queryset; all dossiers by default) and save those that
    changed. The backfill of migration 0003, the generator's last step, and what the actions below call for the
    dossiers they touch. Works on the migration's historical models too. Returns the number of rows changed."""
    qs = dossiers if dossiers is not None else Dossier.objects.all()
    model = qs.model
    pause_model = model._meta.get_field("pauses").related_model
    cal = cal or calendar.get_calendar()
    fields = ["pk", "received_on", "days", "working", "completed_on", "type__due_soon_days", *CLOCK_FIELDS]
    changed, rows = 0, list(qs.order_by("pk").values(*fields))
    connection = connections[qs.db]
    q = connection.ops.quote_name
    sql = (f"UPDATE {q(model._meta.db_table)} SET {', '.join(f'{q(f)} = %s' for f in CLOCK_FIELDS)} "
           f"WHERE {q(model._meta.pk.column)} = %s")
    for i in range(0, len(rows), batch):
        chunk = rows[i:i + batch]
        pauses: dict[int, list[Pause]] = {}
        for dossier_id, paused_on, resumed_on in pause_model.objects.filter(
            dossier_id__in=[r["pk"] for r in chunk]
        ).order_by("paused_on", "id").values_list("dossier_id", "paused_on", "resumed_on"):
            pauses.setdefault(dossier_id, []).append(Pause(paused_on, resumed_on))
        updates = []
        for row in chunk:
            dates = _dates(cal, row, pauses.get(row["pk"], []))
            new = (dates.due_on, dates.due_soon_from, dates.settled_on)
            if new != tuple(row[f] for f in CLOCK_FIELDS):
                updates.append([connection.ops.adapt_datefield_value(v) for v in new] + [row["pk"]])
        if updates:  # one prepared UPDATE run for many rows (bulk_update's CASE statements are far slower)
            with connection.cursor() as cursor:
                cursor.executemany(sql, updates)
        changed += len(updates)
    return changed


def _refresh(dossier: Dossier) -> None:
    refresh_clocks(dossiers=Dossier.objects.filter(pk=dossier.pk))
    dossier.refresh_from_db(fields=CLOCK_FIELDS)


def _refresh_around(day: dt.date) -> None:
    """After a calendar change on ``day``: only clocks counting through it move (received by it, due after it
    or not due yet)."""
    refresh_clocks(dossiers=Dossier.objects.filter(received_on__lte=day).exclude(due_on__lt=day))


# --- calendar overrides ----------------------------------------------------------------------------------


@transaction.atomic
def set_override(*, actor, date: dt.date, kind: str, name: str, reference: str) -> tuple[CalendarOverride, bool]:
    """Add the override of ``date`` or change it. Returns (override, created)."""
    _require(actor, "calendar.manage")
    if kind not in OverrideKind.values:
        raise ValidationError(_("Unknown kind of override: %(kind)s.") % {"kind": kind})
    if not name.strip() or not reference.strip():
        raise ValidationError(_("An override needs a name and its legal reference."))
    _in_calendar(date, _("Date"))
    override = CalendarOverride.objects.filter(date=date).first()
    created = override is None
    before = {} if created else audit.snapshot(override, OVERRIDE_FIELDS)
    override = override or CalendarOverride(date=date)
    override.kind, override.name, override.reference = kind, name.strip(), reference.strip()
    if created and getattr(actor, "is_authenticated", False):
        override.entered_by = actor
    old, new = audit.diff(before, audit.snapshot(override, OVERRIDE_FIELDS))
    if new:
        override.save()
        audit.record(actor=actor, kind="calendar.override_add" if created else "calendar.override_change",
                     target=override, old=None if created else old, new=new, note=override.reference)
        transaction.on_commit(calendar.invalidate)
        _refresh_around(date)  # get_calendar() reads the override rows of this transaction
    return override, created


@transaction.atomic
def remove_override(*, actor, override: CalendarOverride) -> None:
    _require(actor, "calendar.manage")
    audit.record(actor=actor, kind="calendar.override_remove", target=override,
                 old=audit.snapshot(override, OVERRIDE_FIELDS))
    override.delete()
    transaction.on_commit(calendar.invalidate)
    _refresh_around(override.date)


# --- dossier types ---------------------------------------------------------------------------------------


@transaction.atomic
def create_dossier_type(*, actor, code: str, name: str, days: int, **fields) -> DossierType:
    dossier_type = DossierType(code=code, name=name, days=days, **fields)
    dossier_type.full_clean()
    dossier_type.save()
    audit.record(actor=actor, kind="dossier_type.create", target=dossier_type, agency=dossier_type.agency,
                 new=audit.snapshot(dossier_type, TYPE_FIELDS))
    return dossier_type


@transaction.atomic
def update_dossier_type(*, actor, dossier_type: DossierType, **changes) -> DossierType:
    """Change the rule of a type. Dossiers already received keep the rule they were received under."""
    before = dossier_type.due_soon_days
    audit.apply_changes(actor=actor, obj=dossier_type, fields=TYPE_FIELDS, changes=changes,
                        kind="dossier_type.update", agency=dossier_type.agency)
    if dossier_type.due_soon_days != before:  # the warning window is read from the type
        refresh_clocks(dossiers=dossier_type.dossiers.all())
    return dossier_type


# --- dossiers --------------------------------------------------------------------------------------------


@transaction.atomic
def create_dossier(*, actor, type: DossierType, agency, reference: str, subject: str, received_on: dt.date,
                   note: str = "") -> Dossier:
    """Enter a dossier; its time limit is the type's rule on entry."""
    _require(actor, "dossier.edit", agency)
    reference = reference.strip()
    _in_calendar(received_on, _("Received on"))
    if Dossier.objects.filter(type=type, agency=agency, reference=reference).exists():
        raise ValidationError(
            _("Dossier %(ref)s of this type already exists at %(agency)s.") % {"ref": reference, "agency": agency.code}
        )
    dossier = Dossier(type=type, agency=agency, reference=reference, subject=subject.strip(),
                      received_on=received_on, days=type.days, working=type.working, note=note.strip())
    dossier.full_clean()
    dossier.save()
    _refresh(dossier)
    audit.record(actor=actor, kind="dossier.create", target=dossier, agency=agency,
                 new=audit.snapshot(dossier, DOSSIER_FIELDS))
    return dossier


def _open_pause(dossier: Dossier) -> DossierPause | None:
    return dossier.pauses.filter(resumed_on__isnull=True).first()


def _check_event_day(dossier: Dossier, on: dt.date) -> None:
    if dossier.completed_on is not None:
        raise ValidationError(_("The dossier is already completed."))
    if on < dossier.received_on:
        raise ValidationError(_("The date is before the dossier was received."))
    last = dossier.pauses.order_by("-paused_on").first()
    if last is not None and on < (last.resumed_on or last.paused_on):
        raise ValidationError(_("The date is before the dossier's last pause or resumption."))
    _in_calendar(on, _("Date"))


@transaction.atomic
def pause_dossier(*, actor, dossier: Dossier, on: dt.date, reason: str = "") -> DossierPause:
    """Returned for supplements on ``on``: the clock stops (that day does not count)."""
    _require(actor, "dossier.edit", dossier)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if _open_pause(dossier):
        raise ValidationError(_("The dossier is already paused."))
    _check_event_day(dossier, on)
    pause = DossierPause.objects.create(dossier=dossier, paused_on=on, reason=reason.strip())
    _refresh(dossier)
    audit.record(actor=actor, kind="dossier.pause", target=dossier, agency=dossier.agency,
                 new={"paused_on": on, "reason": pause.reason})
    return pause


@transaction.atomic
def resume_dossier(*, actor, dossier: Dossier, on: dt.date) -> DossierPause:
    """Supplements received on ``on``: the clock runs again (that day counts)."""
    _require(actor, "dossier.edit", dossier)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    pause = _open_pause(dossier)
    if pause is None:
        raise ValidationError(_("The dossier is not paused."))
    if on < pause.paused_on:
        raise ValidationError(_("The dossier cannot resume before it was paused."))
    _in_calendar(on, _("Date"))
    pause.resumed_on = on
    pause.save()
    _refresh(dossier)
    audit.record(actor=actor, kind="dossier.resume", target=dossier, agency=dossier.agency,
                 old={"resumed_on": None}, new={"resumed_on": on})
    return pause


@transaction.atomic
def complete_dossier(*, actor, dossier: Dossier, on: dt.date) -> Dossier:
    """Result returned on ``on``. A dossier completed while paused has its pause closed that day."""
    _require(actor, "dossier.edit", dossier)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    _check_event_day(dossier, on)
    pause = _open_pause(dossier)
    if pause is not None:
        pause.resumed_on = on
        pause.save()
    dossier.completed_on = on
    dossier.full_clean()
    dossier.save()
    _refresh(dossier)
    audit.record(actor=actor, kind="dossier.complete", target=dossier, agency=dossier.agency,
                 old={"completed_on": None}, new={"completed_on": on, **({"resumed_on": on} if pause else {})})
    return dossier
