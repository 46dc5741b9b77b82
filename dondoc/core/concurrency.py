"""Optimistic locking for edit forms two people can open (issue 12: the lost update).

An edited object carries ``version`` (an integer the action increments on each save). The form carries the
version it was opened with (``VersionedForm``, or a hidden ``version`` input); the action calls
``check_version`` on the row it locked with ``select_for_update()`` and raises ``StaleEdit`` when someone saved in
between. The view then shows who saved, when, and a field-by-field diff (``conflict_rows``), with the user's text
kept in the form and the form now carrying the current version: saving again is the user's decision to merge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models

from .models import AuditEvent


class StaleEdit(Exception):
    """The object was saved by someone else after the form was opened."""

    def __init__(self, *, obj: models.Model, opened: int, current: int, by: str, at: dt.datetime | None):
        super().__init__(f"{obj._meta.label} {obj.pk}: opened at version {opened}, now {current}")
        self.obj, self.opened, self.current, self.by, self.at = obj, opened, current, by, at


def parse_version(raw: Any) -> int | None:
    """The version a form posted; None when absent (an old page, a command), which skips the check."""
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None


def last_change(obj: models.Model, kinds: tuple[str, ...] = ()) -> tuple[str, dt.datetime | None]:
    """Who saved ``obj`` last, and when, from the audit trail."""
    events = AuditEvent.objects.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))
    if kinds:
        events = events.filter(kind__in=kinds)
    event = events.select_related("actor").order_by("-recorded_at", "-id").first()
    if event is None:
        return "", None
    name = (event.actor.get_full_name() or event.actor.get_username()) if event.actor else event.actor_name
    return name, event.at


def check_version(obj: models.Model, opened: int | None, *, unchanged: bool = False, kinds: tuple[str, ...] = (),
                  field: str = "version") -> None:
    """Inside the action's transaction, on the locked row: refuse a save opened at an older version.
    ``unchanged``: the submitted values equal what is stored, so nothing would be lost (no conflict).
    ``field``: the model's version field, when ``version`` already means something else."""
    current = getattr(obj, field)
    if opened is None or opened == current or unchanged:
        return
    by, at = last_change(obj, kinds)
    raise StaleEdit(obj=obj, opened=opened, current=current, by=by, at=at)


@dataclass(frozen=True)
class Difference:
    label: str
    theirs: str
    yours: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(_text(v) for v in value)
    return str(value)


def conflict_rows(labels: dict[str, str], theirs: dict[str, Any], yours: dict[str, Any]) -> list[Difference]:
    """The fields whose saved value differs from the user's, in the order of ``labels``."""
    rows = []
    for key, label in labels.items():
        a, b = _text(theirs.get(key)).strip(), _text(yours.get(key)).strip()
        if a != b:
            rows.append(Difference(label=label, theirs=a, yours=b))
    return rows


class VersionedForm(forms.Form):
    """Mixin for edit forms: a hidden ``version``, opened with the instance's (ModelForm) or ``version=``."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk:
            version = instance.version
        self.fields["version"].initial = version

    def opened_version(self) -> int | None:
        return parse_version(self.data.get(self.add_prefix("version")))

    def reopen_at(self, version: int) -> None:
        """After a conflict: the form (with the user's values) now carries the current version."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)
