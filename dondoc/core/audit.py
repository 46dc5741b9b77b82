"""audit.record(): the one way to write an AuditEvent. Called by actions inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import clock
from .bulk import PreparedRows
from .models import AuditEvent

SYSTEM = "hệ thống"  # actor name of commands run without a user


def jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The audited state of ``obj``: the named fields as JSON values (FKs as ids)."""
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = jsonable(getattr(obj, field.attname))
    return out


def diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, as (old, new)."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def record(
    *,
    actor,
    kind: str,
    target: models.Model | None = None,
    agency=None,
    old: dict | None = None,
    new: dict | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> AuditEvent:
    """``at`` is the business moment the action received (default: the product clock); the real time of
    writing is kept in ``recorded_at``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of the change it records")
    if at is not None and timezone.is_naive(at):
        raise ValueError("audit.record(at=...) must be an aware datetime")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        at=at or clock.now(),
        actor=user,
        actor_name=user.get_username() if user else SYSTEM,
        kind=kind,
        agency=agency,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        old=jsonable(old) if old is not None else None,
        new=jsonable(new) if new is not None else None,
        note=note,
    )


def prepare_many(
    *,
    actor,
    kind: str,
    entries: Iterable[tuple[models.Model, Any, dict]],
    at: dt.datetime | None = None,
) -> PreparedRows:
    """The events ``record`` would write, one of ``kind`` per ``(target, agency, new)``, made ready before the write
    transaction (ADR 0012: many events, a short write); the targets may be unsaved yet, their ids are read when the
    events are written. Write them with ``record_prepared`` inside the transaction of the change."""
    if at is not None and timezone.is_naive(at):
        raise ValueError("audit.prepare_many(at=...) must be an aware datetime")
    user = actor if getattr(actor, "is_authenticated", False) else None
    at = at or clock.now()
    events = []
    for target, agency, new in entries:
        event = AuditEvent(at=at, actor=user, actor_name=user.get_username() if user else SYSTEM, kind=kind,
                           agency=agency, target_type=target._meta.label_lower, target_repr=str(target)[:255],
                           new=jsonable(new))
        event.audited = target
        events.append(event)
    return PreparedRows(AuditEvent, events, late={"target_id": _target_id})


def _target_id(event: AuditEvent) -> str:
    if event.audited.pk is None:
        raise ValueError("audit.record_prepared(): the target of an event was not saved")
    return str(event.audited.pk)


def record_prepared(events: PreparedRows) -> int:
    """Write events from ``prepare_many`` in one statement; returns how many. Same guard as ``record``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_prepared() must run inside the transaction of the change it records")
    if events.model is not AuditEvent:
        raise ValueError("audit.record_prepared() writes events from audit.prepare_many() only")
    return events.insert()


def apply_changes(*, actor, obj: models.Model, fields: list[str], changes: dict[str, Any], kind: str,
                  agency=None, at: dt.datetime | None = None) -> bool:
    """Set ``changes`` on ``obj``, validate, and save and audit only what really changed (old/new of those
    fields). Returns whether anything changed. Call inside the action's transaction."""
    before = snapshot(obj, fields)
    for key, value in changes.items():
        setattr(obj, key, value)
    obj.full_clean()
    old, new = diff(before, snapshot(obj, fields))
    if new:
        obj.save()
        record(actor=actor, kind=kind, target=obj, agency=agency, old=old, new=new, at=at)
    return bool(new)
