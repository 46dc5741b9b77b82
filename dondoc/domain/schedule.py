"""When periodic work is due: pure functions of a schedule and an aware datetime (real time, local zone).

Two shapes of schedule: ``Daily(hour, minute)`` (wall-clock time in the zone of ``now``) and ``Every(minutes)``
(instants aligned on multiples of the interval since the epoch, so that "every 5 minutes" falls on :00, :05, …).
The scheduler (dondoc.core.scheduler) and the health report (/healthz) both read these, so they agree on what
"due", "missed" and "overdue" mean.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Daily:
    hour: int
    minute: int = 0

    def __post_init__(self):
        if not (0 <= self.hour < 24 and 0 <= self.minute < 60):
            raise ValueError(f"not a time of day: {self.hour:02d}:{self.minute:02d}")

    @property
    def time_of_day(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"

    def __str__(self) -> str:
        return f"daily {self.time_of_day}"


@dataclass(frozen=True)
class Every:
    minutes: int

    def __post_init__(self):
        if self.minutes < 1:
            raise ValueError("an interval is at least one minute")

    def __str__(self) -> str:
        return f"every {self.minutes} min"


Spec = Daily | Every


def _check(now: dt.datetime) -> None:
    if now.tzinfo is None:
        raise ValueError("schedules need an aware datetime")


def last_due(spec: Spec, now: dt.datetime) -> dt.datetime:
    """The latest scheduled instant at or before ``now``."""
    _check(now)
    if isinstance(spec, Every):
        step = spec.minutes * 60
        return dt.datetime.fromtimestamp(int(now.timestamp()) // step * step, tz=now.tzinfo)
    today = now.replace(hour=spec.hour, minute=spec.minute, second=0, microsecond=0)
    return today if today <= now else today - dt.timedelta(days=1)


def next_due(spec: Spec, now: dt.datetime) -> dt.datetime:
    """The first scheduled instant strictly after ``now``."""
    _check(now)
    if isinstance(spec, Every):
        return last_due(spec, now) + dt.timedelta(minutes=spec.minutes)
    return last_due(spec, now) + dt.timedelta(days=1)


def missed(spec: Spec, last_ok_start: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a run is owed now: no successful run started since the latest scheduled instant (the machine was
    off, the scheduler stopped, or the last run failed). A sweeper that never ran is owed one."""
    return last_ok_start is None or last_ok_start < last_due(spec, now)


def overdue(spec: Spec, last_start: dt.datetime | None, now: dt.datetime, grace: dt.timedelta) -> bool:
    """Whether the sweeper is late: the instant that was due ``grace`` ago (or earlier) has no run started since."""
    return last_start is None or last_start < last_due(spec, now - grace)
