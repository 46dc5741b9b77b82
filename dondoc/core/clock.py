"""The one clock. Every "today" in the product comes from here.

``DONDOC_TODAY=YYYY-MM-DD`` pins the date (the demo reads as 05/10/2020); otherwise it is the local date in
Asia/Ho_Chi_Minh, so a report sent at 06:00 local time belongs to that local day. Commands take ``--as-of``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from dondoc.domain import vn_dates

from . import params


def today() -> dt.date:
    pinned = getattr(settings, "DONDOC_TODAY", None)
    if pinned:
        return dt.date.fromisoformat(pinned)
    return timezone.localdate()


def moment(day: dt.date) -> dt.datetime:
    """Business time on ``day``: that day at the current local time of day. Commands with ``--as-of`` and
    loaders pass it to actions as their ``at``."""
    return timezone.localtime().replace(year=day.year, month=day.month, day=day.day)


def now() -> dt.datetime:
    """Aware datetime (business time). With a pinned date, the pinned day at the current local time of day.
    Security and operations (sessions, tokens, heartbeats) use ``timezone.now()``, never this."""
    pinned = getattr(settings, "DONDOC_TODAY", None)
    if pinned:
        return moment(dt.date.fromisoformat(pinned))
    return timezone.localtime()


def optional_date(value: str | None) -> dt.date | None:
    """``parse_date`` for filters: None when the value is empty, not a date or outside 1900..2100 (the screen
    says so). The one parser of view parameters is ``dondoc.core.params``."""
    return params.optional_date(value)


def parse_date(value: str) -> dt.date:
    """Parse dd/mm/yyyy (d/m/yyyy, dd-mm-yyyy) or YYYY-MM-DD; raise ValueError with a clear message.
    The one parser is ``dondoc.domain.vn_dates``; this name stays for the callers of the clock."""
    return vn_dates.parse_date(value)
