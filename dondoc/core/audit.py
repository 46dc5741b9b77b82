"""audit.record(): the one way to write an AuditEvent. Called by actions inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from . import clock
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
