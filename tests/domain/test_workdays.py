"""Working calendar of Vietnamese law and deadline counting (pure Python, no database)."""

from __future__ import annotations

import re
from datetime import date as D

import pytest

from dondoc.domain.workdays import (
    CalendarRangeError,
    Day,
    Pause,
    WorkCalendar,
    explain_period,
    law_days,
)

CAL = WorkCalendar.from_law(range(2018, 2029))


def kind_of(d: D) -> str | None:
    named = CAL.named_day(d)
    return named.kind if named else None


# --- law data ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working", "kind"),
    [
        # Tết 2020: 23–29/01 off (Thu–Wed, the weekend inside included); 22/01 and 30/01 worked.
        (D(2020, 1, 22), True, None),
        *[(D(2020, 1, d), False, "holiday") for d in range(23, 30)],
        (D(2020, 1, 30), True, None),
        # Giỗ Tổ Hùng Vương 2020 (10/3 lunar).
        (D(2020, 4, 1), True, None),
        (D(2020, 4, 2), False, "holiday"),
        (D(2020, 4, 3), True, None),
        # 2/9: one day in 2020, two days from 2021.
        (D(2020, 9, 1), True, None),
        (D(2020, 9, 2), False, "holiday"),
        (D(2020, 9, 3), True, None),
        (D(2021, 9, 1), True, None),
        (D(2021, 9, 2), False, "holiday"),
        (D(2021, 9, 3), False, "holiday"),
        # 2025 swap: Friday 02/05 off, Saturday 26/04 worked.
        (D(2025, 4, 26), True, "makeup_workday"),
        (D(2025, 4, 27), False, None),
        (D(2025, 5, 2), False, "swap_off"),
        # Cross-year swap: 31/12/2018 off for Saturday 05/01/2019.
        (D(2018, 12, 31), False, "swap_off"),
        (D(2019, 1, 5), True, "makeup_workday"),
        # Holiday on a weekend: substitute day off on Monday.
        (D(2021, 5, 1), False, "holiday"),
        (D(2021, 5, 3), False, "holiday"),
        # Plain weekdays and weekends.
        (D(2020, 3, 13), True, None),
        (D(2020, 3, 14), False, None),
        (D(2020, 3, 15), False, None),
    ],
)
def test_law_days(day: D, working: bool, kind: str | None) -> None:
    assert CAL.is_working_day(day) is working
    assert kind_of(day) == kind


def test_names_are_vietnamese_and_substitutes_say_so() -> None:
    assert "Giỗ Tổ" in CAL.named_day(D(2020, 4, 2)).name
    assert CAL.named_day(D(2021, 5, 3)).name == "Nghỉ bù Ngày Quốc tế Lao động"
    assert CAL.named_day(D(2020, 1, 23)).name.startswith("Nghỉ bù")  # Tết day moved off Saturday 25/01
    assert CAL.named_day(D(2020, 1, 25)).name == "Tết Nguyên Đán"
    assert "26/04/2025" in CAL.named_day(D(2025, 5, 2)).name
    assert "02/05/2025" in CAL.named_day(D(2025, 4, 26)).name


def test_law_days_only_for_requested_years() -> None:
    days = law_days([2025])
    assert {d.date.year for d in days} == {2025}
    assert [d.date for d in days] == sorted(d.date for d in days)


# --- holidays_in_year (JSON contract) ------------------------------------------------------------------


def test_holidays_in_year_contract() -> None:
    rows = CAL.holidays_in_year(2020)
    assert all(set(r) == {"date", "name", "kind"} for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert all(re.fullmatch(r"2020-\d\d-\d\d", r["date"]) for r in rows)
    assert [r["date"] for r in rows] == [
        "2020-01-01",
        *[f"2020-01-{d}" for d in range(23, 30)],
        "2020-04-02",
        "2020-04-30",
        "2020-05-01",
        "2020-09-02",
    ]
    assert {r["kind"] for r in rows} == {"holiday"}


def test_holidays_in_year_2025_kinds() -> None:
    rows = {r["date"]: r["kind"] for r in CAL.holidays_in_year(2025)}
    assert rows["2025-04-26"] == "makeup_workday"
    assert rows["2025-05-02"] == "swap_off"
    assert rows["2025-02-01"] == "holiday"  # Saturday inside Tết


# --- overrides -----------------------------------------------------------------------------------------


def test_override_added_and_removed() -> None:
    thu = D(2020, 9, 3)
    off = Day(thu, "Nghỉ theo quyết định của tỉnh", "override_off", "QĐ 123/QĐ-UBND")
    with_off = CAL.with_override(off)
    assert CAL.is_working_day(thu)
    assert not with_off.is_working_day(thu)
    assert with_off.add_days(D(2020, 9, 1), 1, working=True) == D(2020, 9, 4)  # 02/09 holiday, 03/09 off
    assert {"date": "2020-09-03", "name": off.name, "kind": "override_off"} in with_off.holidays_in_year(2020)
    removed = with_off.without_override(thu)
    assert removed.is_working_day(thu)
    assert removed.add_days(D(2020, 9, 1), 1, working=True) == D(2020, 9, 3)
    assert removed.holidays_in_year(2020) == CAL.holidays_in_year(2020)


def test_override_wins_over_law() -> None:
    cal = CAL.with_override(Day(D(2020, 9, 2), "Làm việc", "override_workday", "CV 1/UBND"))
    cal = cal.with_override(Day(D(2020, 9, 5), "Làm bù thứ Bảy", "override_workday", "CV 1/UBND"))
    assert cal.is_working_day(D(2020, 9, 2)) and cal.is_working_day(D(2020, 9, 5))
    kinds = {r["date"]: r["kind"] for r in cal.holidays_in_year(2020)}
    assert kinds["2020-09-02"] == kinds["2020-09-05"] == "override_workday"


def test_bad_entries_rejected() -> None:
    with pytest.raises(ValueError):
        Day(D(2020, 1, 1), "x", "vacation")
    with pytest.raises(ValueError):
        WorkCalendar(CAL.law, (Day(D(2020, 1, 1), "x", "holiday"),))
    with pytest.raises(ValueError):
        Pause(D(2020, 1, 10), D(2020, 1, 9))


def test_outside_calendar_raises() -> None:
    with pytest.raises(CalendarRangeError):
        CAL.is_working_day(D(2035, 1, 2))


# --- counting ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "working", "due"),
    [
        (D(2020, 1, 20), 5, True, D(2020, 2, 3)),  # across Tết 2020
        (D(2020, 1, 17), 1, True, D(2020, 1, 20)),  # Friday event -> Monday
        (D(2020, 3, 10), 5, False, D(2020, 3, 16)),  # ends Sunday 15/03 -> Monday
        (D(2020, 3, 9), 5, False, D(2020, 3, 16)),  # ends Saturday 14/03 -> Monday
        (D(2020, 3, 9), 4, False, D(2020, 3, 13)),  # ends Friday, no roll
        (D(2020, 1, 18), 5, False, D(2020, 1, 30)),  # ends 23/01 in Tết -> 30/01
        (D(2025, 4, 24), 2, True, D(2025, 4, 26)),  # the make-up Saturday counts
        (D(2025, 4, 29), 1, True, D(2025, 5, 5)),  # 30/04, 01/05, 02/05 (swap) and the weekend off
        (D(2020, 3, 14), 0, False, D(2020, 3, 16)),  # zero days: rolled to a working day
    ],
)
def test_add_days(start: D, n: int, working: bool, due: D) -> None:
    assert CAL.add_days(start, n, working=working) == due


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2020, 1, 20), D(2020, 2, 3), 5),
        (D(2020, 1, 22), D(2020, 1, 29), 0),  # all Tết
        (D(2020, 1, 17), D(2020, 1, 20), 1),
        (D(2020, 1, 20), D(2020, 1, 20), 0),
        (D(2020, 2, 3), D(2020, 1, 20), -5),
        (D(2025, 4, 25), D(2025, 5, 5), 4),  # 26/04 (Sat, worked), 28, 29/04, 05/05
    ],
)
def test_working_days_between(start: D, end: D, count: int) -> None:
    assert CAL.working_days_between(start, end) == count


@pytest.mark.parametrize(
    ("pauses", "working", "due"),
    [
        ((), True, D(2020, 2, 3)),
        # Returned Wed 22/01 (after 1 day counted), resumed Mon 27/01 in Tết: 30, 31/01, 03, 04/02.
        ((Pause(D(2020, 1, 22), D(2020, 1, 27)),), True, D(2020, 2, 4)),
        # Paused in the middle of Tết until Monday 03/02: only 30–31/01 are lost.
        ((Pause(D(2020, 1, 24), D(2020, 2, 3)),), True, D(2020, 2, 5)),
        # Paused and resumed the same day: nothing lost.
        ((Pause(D(2020, 1, 21), D(2020, 1, 21)),), True, D(2020, 2, 3)),
        # Calendar rule: 21, 22, then 30/01, 31/01, 01/02 (Sat) -> rolled to Monday 03/02.
        ((Pause(D(2020, 1, 23), D(2020, 1, 30)),), False, D(2020, 2, 3)),
        # Open pause: no due date yet.
        ((Pause(D(2020, 1, 22)),), True, None),
    ],
)
def test_due_date_with_pauses(pauses: tuple[Pause, ...], working: bool, due: D | None) -> None:
    assert CAL.due_date(D(2020, 1, 20), 5, working, pauses) == due


def test_elapsed_with_pause() -> None:
    pause = Pause(D(2020, 1, 22), D(2020, 2, 4))
    assert CAL.elapsed(D(2020, 1, 20), D(2020, 2, 5)) == 7  # 21, 22, 30, 31/01, 03, 04, 05/02
    assert CAL.elapsed(D(2020, 1, 20), D(2020, 2, 5), pauses=[pause]) == 3  # 21/01, 04/02, 05/02
    assert CAL.elapsed(D(2020, 1, 20), D(2020, 2, 5), working=False, pauses=[pause]) == 3
    assert CAL.elapsed(D(2020, 1, 20), D(2020, 1, 10)) == 0


# --- explanations and the fixed due day ----------------------------------------------------------------


def test_explanations() -> None:
    assert explain_period(D(2020, 1, 20), 5, True) == "05 ngày làm việc kể từ 20/01/2020"
    assert CAL.deadline(D(2020, 1, 20), 5, True).explanation == (
        "hạn: 03/02/2020 — 05 ngày làm việc kể từ 20/01/2020"
    )
    rolled = CAL.deadline(D(2020, 3, 10), 5, False)
    assert rolled.due == D(2020, 3, 16)
    assert "15/03/2020 là ngày nghỉ" in rolled.explanation
    assert CAL.deadline(D(2020, 1, 20), 5, True, [Pause(D(2020, 1, 22))]) is None


@pytest.mark.parametrize(
    ("year", "month", "kwargs", "due", "text"),
    [
        (2020, 9, {}, D(2020, 9, 24), "hạn: 24/09/2020 — trước ngày 25"),
        # 24/10/2020 is a Saturday (25/10 a Sunday).
        (
            2020,
            10,
            {},
            D(2020, 10, 26),
            "hạn: 26/10/2020 — trước ngày 25; 24/10/2020 là ngày nghỉ, chuyển sang ngày làm việc kế tiếp",
        ),
        (2020, 10, {"roll": "backward"}, D(2020, 10, 23), None),
        (2020, 10, {"roll": "none"}, D(2020, 10, 24), None),
        (2020, 10, {"reading": "by"}, D(2020, 10, 26), None),  # the 25th itself is a Sunday
        # 24 and 25/01/2020 are Tết.
        (2020, 1, {}, D(2020, 1, 30), None),
        (2020, 1, {"reading": "by", "roll": "backward"}, D(2020, 1, 22), None),
        (2020, 12, {"reading": "by"}, D(2020, 12, 25), "hạn: 25/12/2020 — chậm nhất ngày 25"),
        (2021, 2, {"day": 31, "reading": "by"}, D(2021, 3, 1), None),  # no 31/02: Sunday 28/02 -> Monday
    ],
)
def test_monthly_due(year: int, month: int, kwargs: dict, due: D, text: str | None) -> None:
    result = CAL.monthly_due(year, month, **kwargs)
    assert result.due == due
    if text:
        assert result.explanation == text


# --- unconfirmed years ---------------------------------------------------------------------------------


def test_unconfirmed_year_2027() -> None:
    assert CAL.confirmed_until == 2026
    assert not CAL.is_unconfirmed(D(2026, 12, 31))
    assert CAL.is_unconfirmed(D(2027, 1, 4))
    late = CAL.deadline(D(2026, 12, 28), 5, True)
    assert late.unconfirmed and "2027 chưa được công bố" in late.explanation
    assert not CAL.deadline(D(2026, 12, 1), 5, True).unconfirmed
    assert CAL.monthly_due(2027, 3).unconfirmed
    assert CAL.depends_on_unconfirmed(D(2026, 12, 30), D(2027, 1, 2))
    assert not WorkCalendar(CAL.law, confirmed_until=2027).is_unconfirmed(D(2027, 1, 4))
