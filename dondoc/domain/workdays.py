"""Working days of Vietnamese law and deadline counting. Pure Python (no Django).

Data comes in as values: ``law_days(years)`` reads the pinned ``holidays`` package (VN, Vietnamese
names); the caller adds its override rows (future swaps, provincial decisions) and builds a
``WorkCalendar``. Kinds of named days:

- ``holiday``: a public holiday, including the weekend days inside Tết and the substitute day off for a
  holiday falling on a weekend (named "Nghỉ bù …");
- ``swap_off``: a working day given off by the government's yearly swap (e.g. 02/05/2025);
- ``makeup_workday``: the Saturday worked in exchange (e.g. 26/04/2025);
- ``override_off`` / ``override_workday``: an editable decision with its legal reference; it wins over
  the law's day on the same date.

Working day: Monday–Friday unless a holiday / swap_off / override_off; Saturday and Sunday are off unless
makeup_workday / override_workday.

Counting (Civil Code 2015 Art. 144–148, DOMAIN.md §3): a period starts the day *after* the event.
"N ngày" counts calendar days and a last day that is a day off rolls to the next working day; "N ngày
làm việc" counts working days only.

Pauses (dossier returned for supplements): ``Pause(paused_on, resumed_on)`` removes the days
``paused_on … resumed_on − 1`` from the count: the clock stops on the pause day (it does not count) and
runs again from the resume day (which counts). An open pause (``resumed_on=None``) stops the clock for
good: no due date until it is resumed.

Counting is O(log n): the calendar keeps a cumulative count of working days over its years (built on first
use), so a count is two look-ups per unpaused stretch and the n-th working day a bisection. Results and
errors (``CalendarRangeError`` for the first counted day outside the years) are those of walking day by day.

Years after ``confirmed_until`` (default 2026) use the package's estimate (lunar Tết, weekend
substitutes) but no government decision on the Tết span or swaps yet: results touching them are flagged.
"""

from __future__ import annotations

import calendar as _cal
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays

from .formats import format_date

HOLIDAY = "holiday"
SWAP_OFF = "swap_off"
MAKEUP_WORKDAY = "makeup_workday"
OVERRIDE_OFF = "override_off"
OVERRIDE_WORKDAY = "override_workday"
LAW_KINDS = (HOLIDAY, SWAP_OFF, MAKEUP_WORKDAY)
OVERRIDE_KINDS = (OVERRIDE_OFF, OVERRIDE_WORKDAY)
WORKING_KINDS = (MAKEUP_WORKDAY, OVERRIDE_WORKDAY)

CONFIRMED_UNTIL = 2026  # last year whose Tết span and swaps are decided (holidays==0.109)
DEFAULT_YEARS = range(2010, 2041)

_ONE = timedelta(days=1)
_OBSERVED_SUFFIX = " (nghỉ bù)"  # the package's Vietnamese observed label, "%s (nghỉ bù)"


def _fmt(d: date) -> str:
    return format_date(d)


@dataclass(frozen=True)
class Day:
    """A date named by law or by a decision. ``reference`` is the legal reference of an override."""

    date: date
    name: str
    kind: str
    reference: str = ""

    def __post_init__(self) -> None:
        if self.kind not in LAW_KINDS + OVERRIDE_KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")

    @property
    def is_working(self) -> bool:
        return self.kind in WORKING_KINDS

    def as_dict(self) -> dict[str, str]:
        """The JSON contract of ``dondoc calendar holidays``."""
        return {"date": self.date.isoformat(), "name": self.name, "kind": self.kind}


@dataclass(frozen=True)
class Pause:
    """Clock stopped from ``paused_on`` (not counted) until ``resumed_on`` (counted again); None = open."""

    paused_on: date
    resumed_on: date | None = None

    def __post_init__(self) -> None:
        if self.resumed_on is not None and self.resumed_on < self.paused_on:
            raise ValueError("resumed_on is before paused_on")

    def covers(self, d: date) -> bool:
        return self.paused_on <= d and (self.resumed_on is None or d < self.resumed_on)


@dataclass(frozen=True)
class Deadline:
    """A computed date with the rule that produced it, in Vietnamese."""

    due: date
    rule: str  # "05 ngày làm việc kể từ 20/01/2020", "trước ngày 25"
    notes: tuple[str, ...] = ()
    unconfirmed: bool = False

    @property
    def explanation(self) -> str:
        """E.g. "hạn: 24/09/2020 — trước ngày 25"."""
        text = f"hạn: {_fmt(self.due)} — {self.rule}"
        notes = list(self.notes)
        if self.unconfirmed:
            notes.append(f"lịch nghỉ năm {self.due.year} chưa được công bố chính thức")
        return "; ".join([text, *notes])


def law_days(years: Iterable[int]) -> list[Day]:
    """Holidays, swaps and make-up Saturdays of the given years from the ``holidays`` package."""
    wanted = set(years)
    if not wanted:
        return []
    # Neighbour years too: a swap may cross the year boundary (31/12/2018 off for Saturday 05/01/2019).
    span = range(min(wanted) - 1, max(wanted) + 2)
    observed = holidays.country_holidays("VN", years=span, language="vi")
    plain = holidays.country_holidays("VN", years=span, language="vi", observed=False)

    # Swaps: (to_month, to_day, from_month, from_day[, from_year]) in the package's static table.
    swaps: dict[date, date] = {}  # day off -> the day it was taken from
    for year, entries in getattr(observed, "special_public_holidays", {}).items():
        for entry in (entries,) if entries and isinstance(entries[0], int) else entries:
            if len(entry) >= 4:
                to_month, to_day, from_month, from_day, *from_year = entry
                swaps[date(year, to_month, to_day)] = date(
                    from_year[0] if from_year else year, from_month, from_day
                )

    days: list[Day] = []
    for d in sorted(observed):
        if d.year not in wanted:
            continue
        if d in swaps:
            days.append(Day(d, "; ".join(observed.get_list(d)), SWAP_OFF))
            continue
        # A name only the observed calendar has is a substitute day off (weekend holiday, Tết weekend days).
        base = set(plain.get_list(d)) if d in plain else set()
        names = [
            n if n in base else "Nghỉ bù " + n.removesuffix(_OBSERVED_SUFFIX) for n in observed.get_list(d)
        ]
        days.append(Day(d, "; ".join(names), HOLIDAY))
    for off, worked in swaps.items():
        if worked.year in wanted and worked.weekday() >= 5:  # a weekday source is just a moved holiday
            days.append(Day(worked, f"Làm việc bù cho ngày nghỉ {_fmt(off)}", MAKEUP_WORKDAY))
    return sorted(days, key=lambda day: day.date)


def explain_period(start: date, n: int, working: bool) -> str:
    """E.g. "05 ngày làm việc kể từ 20/01/2020"."""
    return f"{n:02d} ngày{' làm việc' if working else ''} kể từ {_fmt(start)}"


class CalendarRangeError(ValueError):
    """A date outside the years the calendar was built for."""


@dataclass(frozen=True)
class WorkCalendar:
    """Law days plus overrides (overrides win), over ``years`` (default: the law days' years)."""

    law: tuple[Day, ...]
    overrides: tuple[Day, ...] = ()
    confirmed_until: int = CONFIRMED_UNTIL
    years: range | None = None
    _index: dict[date, Day] = field(init=False, repr=False, compare=False)
    _cum: list[int] | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "law", tuple(self.law))
        object.__setattr__(self, "overrides", tuple(self.overrides))
        if any(d.kind not in LAW_KINDS for d in self.law):
            raise ValueError("law days must be holiday, swap_off or makeup_workday")
        if any(d.kind not in OVERRIDE_KINDS for d in self.overrides):
            raise ValueError("overrides must be override_off or override_workday")
        for group in (self.law, self.overrides):
            if len({d.date for d in group}) != len(group):
                raise ValueError("two entries for the same date")
        if self.years is None:
            ys = [d.date.year for d in self.law]
            object.__setattr__(self, "years", range(min(ys), max(ys) + 1) if ys else range(0))
        object.__setattr__(self, "_index", {d.date: d for d in (*self.law, *self.overrides)})

    # --- building -----------------------------------------------------------------------------------
    @classmethod
    def from_law(
        cls,
        years: Iterable[int] = DEFAULT_YEARS,
        overrides: Iterable[Day] = (),
        confirmed_until: int = CONFIRMED_UNTIL,
    ) -> WorkCalendar:
        ys = sorted(set(years))
        if not ys:
            raise ValueError("no years")
        return cls(tuple(law_days(ys)), tuple(overrides), confirmed_until, range(ys[0], ys[-1] + 1))

    def with_override(self, day: Day) -> WorkCalendar:
        """A copy with ``day`` added (replacing an override on the same date)."""
        kept = tuple(o for o in self.overrides if o.date != day.date)
        return WorkCalendar(self.law, (*kept, day), self.confirmed_until, self.years)

    def without_override(self, d: date) -> WorkCalendar:
        kept = tuple(o for o in self.overrides if o.date != d)
        return WorkCalendar(self.law, kept, self.confirmed_until, self.years)

    # --- days ---------------------------------------------------------------------------------------
    def _check(self, d: date) -> None:
        if d.year not in self.years:  # type: ignore[operator]
            raise CalendarRangeError(f"{d.isoformat()} is outside the calendar ({self.years})")

    def named_day(self, d: date) -> Day | None:
        """The effective named day (override first, then law), or None for an ordinary day."""
        self._check(d)
        return self._index.get(d)

    def is_working_day(self, d: date) -> bool:
        named = self.named_day(d)
        return named.is_working if named else d.weekday() < 5

    def is_unconfirmed(self, d: date) -> bool:
        """True when ``d`` lies in a year whose Tết span and swaps are not decided yet."""
        return d.year > self.confirmed_until

    def depends_on_unconfirmed(self, *dates: date) -> bool:
        """True when a period spanning ``dates`` reaches into an unconfirmed year."""
        return any(self.is_unconfirmed(d) for d in dates)

    def holidays_in_year(self, year: int) -> list[dict[str, str]]:
        """Every named day of ``year`` (off days, weekend days inside Tết, make-up days), sorted."""
        return [
            d.as_dict() for d in sorted(self._index.values(), key=lambda d: d.date) if d.date.year == year
        ]

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the next one."""
        while not self.is_working_day(d):
            d += _ONE
        return d

    def previous_working_day(self, d: date) -> date:
        while not self.is_working_day(d):
            d -= _ONE
        return d

    # --- counting -----------------------------------------------------------------------------------
    def _cumulative(self) -> list[int]:
        """cum[i] = working days among the first i days of the calendar's years (built once, ~10 ms)."""
        if self._cum is None:
            cum, d, total = [0], self._first, 0
            for _ in range(self._span):
                named = self._index.get(d)
                total += named.is_working if named else d.weekday() < 5
                cum.append(total)
                d += _ONE
            object.__setattr__(self, "_cum", cum)
        return self._cum  # type: ignore[return-value]

    @property
    def _first(self) -> date:
        return date(self.years.start, 1, 1) if self.years else date.min  # type: ignore[union-attr]

    @property
    def _last(self) -> date:
        return date(self.years.stop - 1, 12, 31) if self.years else date.min  # type: ignore[union-attr]

    @property
    def _span(self) -> int:
        return (self._last - self._first).days + 1 if self.years else 0

    def _working_in(self, a: date, b: date) -> int:
        """Working days in a..b (inclusive, a <= b); raises for the first day outside the years."""
        if not self.years or not self._first <= a <= self._last:
            self._check(a)
        if b > self._last:
            self._check(self._last + _ONE)
        cum, base = self._cumulative(), (a - self._first).days
        return cum[(b - self._first).days + 1] - cum[base]

    def _nth_working(self, a: date, k: int) -> date:
        """The k-th working day from ``a`` (inclusive), k >= 1, known to lie within the years."""
        cum, base = self._cumulative(), (a - self._first).days
        i = bisect_left(cum, cum[base] + k, base + 1)
        return self._first + timedelta(days=i - 1)

    @staticmethod
    def _unpaused(lo: date, hi: date | None, pauses: tuple[Pause, ...]) -> Iterator[tuple[date, date | None]]:
        """Stretches of ``lo..hi`` (None: no end) not covered by any pause, in order."""
        covered = sorted(
            ((max(p.paused_on, lo), None if p.resumed_on is None else p.resumed_on - _ONE)
             for p in pauses if p.resumed_on is None or p.resumed_on > max(p.paused_on, lo)),
            key=lambda ab: ab[0],
        )
        d = lo
        for a, b in covered:
            if hi is not None and a > hi:
                break
            if a > d:
                yield d, a - _ONE
            if b is None:
                return
            d = max(d, b + _ONE)
        if hi is None or d <= hi:
            yield d, hi

    def _nth_day(self, start: date, n: int, working: bool, pauses: tuple[Pause, ...], stop: date | None) -> date | None:
        """The n-th counted day after ``start`` (n >= 1) before ``stop`` (an open pause); None when it is reached."""
        need = n
        for a, b in self._unpaused(start + _ONE, None if stop is None else stop - _ONE, pauses):
            if not working:
                if b is None or (b - a).days + 1 >= need:
                    return a + timedelta(days=need - 1)
                need -= (b - a).days + 1
                continue
            end = self._last if b is None or b > self._last else b
            available = self._working_in(a, end) if a <= end else self._working_in(a, a)
            if available >= need:
                return self._nth_working(a, need)
            need -= available
            if b is None or b > self._last:
                self._check(self._last + _ONE)
        return None

    def due_date(self, start: date, n: int, working: bool, pauses: Iterable[Pause] = ()) -> date | None:
        """Last day of an ``n``-day period after the event on ``start``; None while a pause is open.

        Counting begins the day after ``start``; paused days are skipped. Working rule: the n-th working,
        unpaused day. Calendar rule: the n-th unpaused day, rolled to the next working day when off.
        ``n == 0`` gives ``start`` rolled to a working day.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return self.next_working_day(start)
        pauses = tuple(pauses)
        open_from = min((p.paused_on for p in pauses if p.resumed_on is None), default=None)
        closed = tuple(p for p in pauses if p.resumed_on is not None)
        raw = self._nth_day(start, n, working, closed, open_from)
        return None if raw is None else self.next_working_day(raw)

    def period_end(self, start: date, n: int, working: bool, pauses: Iterable[Pause] = ()) -> date | None:
        """The n-th counted day after ``start`` before any roll (``due_date`` without the roll); None while an
        open pause is reached first. A pause starting after this day does not move the due date."""
        if n <= 0:
            return start
        pauses = tuple(pauses)
        open_from = min((p.paused_on for p in pauses if p.resumed_on is None), default=None)
        return self._nth_day(start, n, working, tuple(p for p in pauses if p.resumed_on is not None), open_from)

    def add_days(self, start: date, n: int, working: bool = False) -> date:
        """``dondoc calendar add``: e.g. add_days(2020-01-20, 5, working=True) == 2020-02-03."""
        return self.due_date(start, n, working)  # type: ignore[return-value]  # no pause, never None

    def elapsed(self, start: date, as_of: date, working: bool = True, pauses: Iterable[Pause] = ()) -> int:
        """Counted days (working or calendar, unpaused) after ``start`` up to and including ``as_of``."""
        if as_of <= start:
            return 0
        count = 0
        for a, b in self._unpaused(start + _ONE, as_of, tuple(pauses)):
            count += self._working_in(a, b) if working else (b - a).days + 1  # type: ignore[operator]
        return count

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end < start``."""
        return self.elapsed(start, end) if end >= start else -self.elapsed(end, start)

    def deadline(self, start: date, n: int, working: bool, pauses: Iterable[Pause] = ()) -> Deadline | None:
        """``due_date`` with its explanation ("hạn: 03/02/2020 — 05 ngày làm việc kể từ 20/01/2020")."""
        pauses = tuple(pauses)
        due = self.due_date(start, n, working, pauses)
        if due is None:
            return None
        notes = ["không tính thời gian tạm dừng"] if pauses else []
        if not working and (raw := self._raw_last_day(start, n, pauses)) != due:
            notes.append(f"ngày cuối {_fmt(raw)} là ngày nghỉ, chuyển sang ngày làm việc kế tiếp")
        return Deadline(
            due, explain_period(start, n, working), tuple(notes), self.depends_on_unconfirmed(start, due)
        )

    def _raw_last_day(self, start: date, n: int, pauses: tuple[Pause, ...]) -> date:
        """The n-th unpaused calendar day after ``start``, before any roll."""
        if n == 0:
            return start
        return self._nth_day(start, n, False, pauses, None)  # type: ignore[return-value]  # no stop, never None

    def monthly_due(
        self, year: int, month: int, day: int = 25, reading: str = "before", roll: str = "forward"
    ) -> Deadline:
        """Last acceptable day of a fixed due day in (``year``, ``month``).

        reading "before" ("trước ngày 25") -> day − 1; "by" ("chậm nhất ngày 25") -> the day itself (a day
        past the month's end means its last day). roll, when that day is off: "forward" to the next working
        day, "backward" to the previous one, "none" keeps it.
        """
        if not 1 <= day <= 31:
            raise ValueError("day must be 1..31")
        if reading not in ("before", "by") or roll not in ("forward", "backward", "none"):
            raise ValueError("reading must be before|by, roll forward|backward|none")
        last = _cal.monthrange(year, month)[1]
        target = date(year, month, min(day, last))
        if reading == "before" and day <= last:
            target -= _ONE
        rule = f"{'trước' if reading == 'before' else 'chậm nhất'} ngày {day}"
        due, notes = target, []
        if not self.is_working_day(target):
            if roll == "forward":
                due = self.next_working_day(target)
                notes.append(f"{_fmt(target)} là ngày nghỉ, chuyển sang ngày làm việc kế tiếp")
            elif roll == "backward":
                due = self.previous_working_day(target)
                notes.append(f"{_fmt(target)} là ngày nghỉ, chuyển về ngày làm việc liền trước")
            else:
                notes.append(f"{_fmt(target)} là ngày nghỉ, không chuyển")
        return Deadline(due, rule, tuple(notes), self.depends_on_unconfirmed(due))
