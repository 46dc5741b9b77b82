"""Disbursement rules of a program, evaluated as of any date. Pure Python: values in, values out.

- ``rate(disbursed, plan)``: percent with two decimals, rounded half up; None when the plan is 0.
- A ``Milestone`` (capital kind, percent, comparison, date) — "extended capital 100% by 31/08/2020", "2020 plan
  above 80% by 30/09/2020". ``required`` is the smallest whole-đồng amount that meets it, ``gap`` what is missing.
- The ``CutRule`` ("under 60% at 30/09/2020": the plan is cut), applied to each unit the plan was assigned to.
- ``months_left(as_of, due)``: the months, whole or part, that still have days in (as_of, due]; the monthly pace
  needed is the gap divided by them (rounded up to the đồng), or the whole gap when no month is left.
- Committed schedules: month → amount; what was due by ``as_of`` counts whole months ended on or before it.
- ``rules_from_tasks``: the rules as a program's parsed tasks state them (targets and dated sentences).
Amounts are whole đồng (int). Explanations are Vietnamese sentences (they go into official reports as they are).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cached_property

from .formats import format_date, format_money, format_number, format_percent
from .text import search_key

CURRENT = "current"  # the year's own plan
EXTENDED = "extended"  # capital of earlier years extended into this one ("vốn kéo dài")
TINH = "tinh"  # denominators: the plan assigned by the provincial council / PPC …
TTG = "ttg"  # … or by the Prime Minister
MILESTONE, CUT, COMMITMENT = "milestone", "cut", "commitment"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def rate(disbursed: int, plan: int) -> Decimal | None:
    """Disbursed ÷ plan in percent, two decimals, half up. None when the plan is 0 (no rate, not 0%)."""
    if not plan:
        return None
    return (Decimal(disbursed) * HUNDRED / Decimal(plan)).quantize(CENT, rounding=ROUND_HALF_UP)


def rate_str(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def pct_vi(value: Decimal | None) -> str:
    """47.12 → "47,12%"; None → "—"."""
    return format_percent(value)


def target_vi(value: Decimal) -> str:
    """A target percentage as the program writes it: 80 → "80%", 62.5 → "62,5%"."""
    text = format_number(value, 2).rstrip("0").rstrip(",")
    return text + "%"


def required(plan: int, percent: Decimal, op: str = ">=") -> int:
    """The smallest whole-đồng amount that meets "op percent of plan" (">" needs strictly more)."""
    exact = Decimal(plan) * Decimal(percent) / HUNDRED
    if op == ">":
        return int(exact.to_integral_value(rounding=ROUND_FLOOR)) + 1
    return int(exact.to_integral_value(rounding=ROUND_CEILING))


def gap(plan: int, disbursed: int, percent: Decimal, op: str = ">=") -> int:
    return max(0, required(plan, percent, op) - disbursed) if plan > 0 else 0


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def months_left(as_of: dt.date, due: dt.date) -> int:
    """Calendar months, whole or part, with at least one day in (as_of, due]: 30/9 → 31/12 is 3, 15/9 → 31/12 is 4."""
    if due <= as_of:
        return 0
    start = as_of + dt.timedelta(days=1)
    return (due.year - start.year) * 12 + due.month - start.month + 1


def monthly_pace(amount: int, as_of: dt.date, due: dt.date) -> int:
    """``amount`` spread over the months left, rounded up to the đồng; all of it when no month is left."""
    if amount <= 0:
        return 0
    months = months_left(as_of, due)
    return amount if months == 0 else -(-amount // months)


@dataclass(frozen=True)
class Milestone:
    capital: str  # CURRENT or EXTENDED
    percent: Decimal
    due: dt.date
    op: str = ">="  # ">" strictly above ("trên 80%"), ">=" at least (100%)
    literal: str = ""  # the program's words
    task: str = ""  # the program item stating it ("2.1.b")

    def target_vi(self) -> str:
        return ("trên " if self.op == ">" else "") + target_vi(self.percent)


@dataclass(frozen=True)
class CutRule:
    percent: Decimal
    due: dt.date
    literal: str = ""
    task: str = ""


@dataclass(frozen=True)
class Rules:
    milestones: tuple[Milestone, ...] = ()
    cut: CutRule | None = None
    denominator: str = TINH

    def for_capital(self, capital: str) -> list[Milestone]:
        return sorted((m for m in self.milestones if m.capital == capital), key=lambda m: (m.due, m.percent))

    def checked(self, capital: str, as_of: dt.date) -> Milestone | None:
        """The milestone to check as of a date: the next one (today's included), else the last one passed."""
        found = self.for_capital(capital)
        upcoming = [m for m in found if m.due >= as_of]
        if upcoming:
            return upcoming[0]
        return found[-1] if found else None

    def next_milestone(self, as_of: dt.date) -> Milestone | None:
        upcoming = sorted((m for m in self.milestones if m.due >= as_of), key=lambda m: (m.due, m.capital))
        return upcoming[0] if upcoming else None


@dataclass
class Finding:
    rule: str  # MILESTONE, CUT, COMMITMENT
    subject: str  # "project" or "investor"
    code_or_name: str
    rate: Decimal | None
    target: Decimal
    gap: int
    monthly_pace_needed: int
    explain: Callable[[], str] = field(repr=False, compare=False)  # the sentence, written when first read
    due: dt.date | None = None
    extra: dict = field(default_factory=dict)

    @cached_property
    def explanation(self) -> str:
        """The finding as the report says it (Vietnamese): built on first use, as a page shows a few of many."""
        return self.explain()

    def as_dict(self) -> dict:
        return {
            "rule": self.rule, "subject": self.subject, "code_or_name": self.code_or_name,
            "rate": rate_str(self.rate), "target": rate_str(self.target), "gap": str(self.gap),
            "monthly_pace_needed": str(self.monthly_pace_needed), "explanation": self.explanation,
        }


def _d(day: dt.date) -> str:
    return format_date(day)


def _money(dong: int) -> str:
    return f"{format_money(dong)} triệu đồng"


def capital_vi(capital: str, year: int) -> str:
    return "vốn kéo dài các năm trước" if capital == EXTENDED else f"kế hoạch vốn năm {year}"


def _pace_vi(amount: int, pace: int, as_of: dt.date, due: dt.date) -> str:
    months = months_left(as_of, due)
    if months == 0:
        return f"còn thiếu {_money(amount)}, đã đến hạn {_d(due)}"
    return (f"còn thiếu {_money(amount)}, cần giải ngân bình quân {_money(pace)}/tháng "
            f"trong {months} tháng còn lại đến {_d(due)}")


def check_milestone(*, name: str, subject: str, plan: int, disbursed: int, milestone: Milestone, as_of: dt.date,
                    year: int) -> Finding | None:
    """A finding when ``disbursed`` does not meet ``milestone`` (None when it does, or there is no plan)."""
    missing = gap(plan, disbursed, milestone.percent, milestone.op)
    if plan <= 0 or missing == 0:
        return None
    pace = monthly_pace(missing, as_of, milestone.due)
    current = rate(disbursed, plan)

    def text() -> str:
        return (f"{name}: giải ngân {_money(disbursed)}/{_money(plan)}, đạt {pct_vi(current)} "
                f"{capital_vi(milestone.capital, year)} đến ngày {_d(as_of)}; mục tiêu {milestone.target_vi()} "
                f"đến ngày {_d(milestone.due)}: {_pace_vi(missing, pace, as_of, milestone.due)}.")
    return Finding(MILESTONE, subject, name, current, milestone.percent, missing, pace, text, milestone.due)


def check_cut(*, name: str, plan: int, disbursed: int, cut: CutRule, as_of: dt.date, year: int) -> Finding | None:
    """Under the threshold: on or after the date the plan is to be cut; before it, the amount that avoids it."""
    current = rate(disbursed, plan)
    if current is None or current >= cut.percent:
        return None
    missing = gap(plan, disbursed, cut.percent, ">=")
    pace = monthly_pace(missing, as_of, cut.due)

    def text() -> str:
        if as_of >= cut.due:
            return (f"{name}: đến ngày {_d(as_of)} giải ngân {_money(disbursed)}/{_money(plan)}, đạt "
                    f"{pct_vi(current)} {capital_vi(CURRENT, year)}, dưới {target_vi(cut.percent)} tại ngày "
                    f"{_d(cut.due)}: thuộc diện cắt giảm kế hoạch vốn để điều chuyển"
                    f"{f' (mục {cut.task})' if cut.task else ''}.")
        return (f"{name}: đạt {pct_vi(current)} {capital_vi(CURRENT, year)} đến ngày {_d(as_of)}; nếu dưới "
                f"{target_vi(cut.percent)} tại ngày {_d(cut.due)} sẽ bị cắt giảm kế hoạch vốn: "
                f"{_pace_vi(missing, pace, as_of, cut.due)}.")
    return Finding(CUT, "investor", name, current, cut.percent, missing, pace, text, cut.due)


def committed_by(schedule: dict[int, int], year: int, as_of: dt.date) -> int:
    """What the schedule committed by ``as_of``: the months of ``year`` ended on or before it."""
    return sum(amount for month, amount in schedule.items() if month_end(year, month) <= as_of)


def schedule_end(schedule: dict[int, int], year: int) -> dt.date | None:
    months = [m for m, amount in schedule.items() if amount]
    return month_end(year, max(months)) if months else None


def check_commitment(*, code: str, plan: int, disbursed: int, schedule: dict[int, int], year: int,
                     as_of: dt.date) -> Finding | None:
    """Behind the committed schedule as of ``as_of``: the gap to the whole commitment and the pace it needs."""
    due_now = committed_by(schedule, year, as_of)
    end = schedule_end(schedule, year)
    if end is None or due_now <= 0 or disbursed >= due_now:
        return None
    total = sum(schedule.values())
    missing = max(0, total - disbursed)
    pace = monthly_pace(missing, as_of, end)
    target = rate(total, plan) if plan else None

    def text() -> str:
        return (f"Dự án {code}: đến ngày {_d(as_of)} cam kết giải ngân {_money(due_now)}, thực hiện "
                f"{_money(disbursed)} (chậm {_money(due_now - disbursed)} so với cam kết); để đạt cam kết cả năm "
                f"{_money(total)} {_pace_vi(missing, pace, as_of, end)}.")
    return Finding(COMMITMENT, "project", code, rate(disbursed, plan), target if target is not None else HUNDRED,
                   missing, pace, text, end, {"committed_to_date": due_now})


# Rules from a program's parsed tasks ------------------------------------------------------------------------

_FULL_WORDS = ("toan bo", "100%", "het so von", "giai ngan het")


def _sentence_with(text: str, literal: str) -> str:
    for part in re.split(r"[\n;]|(?<=\.)\s", text):
        if literal and literal in part:
            return part
    return ""


def rules_from_tasks(tasks: list[dict], year: int, denominator: str = TINH) -> Rules:
    """The disbursement rules a program states for ``year``: percentage targets (milestones; "dưới 60%" is the
    cut threshold) and dated sentences that require the whole extended capital ("giải ngân toàn bộ số vốn kéo
    dài … đến hết tháng 8/2020"). Each keeps the program's words and item."""
    milestones: dict[tuple, Milestone] = {}
    cut: CutRule | None = None
    for task in tasks:
        key = ".".join(p for p in (task.get("section", ""), task.get("item", "")) if p)
        for t in task.get("targets", []):
            if not t.get("by") or t.get("percent") is None:
                continue
            due = dt.date.fromisoformat(t["by"])
            if due.year != year:
                continue
            percent = Decimal(str(t["percent"]))
            literal = t.get("literal", "")
            if t.get("op") == "<":
                cut = cut or CutRule(percent, due, literal, key)
                continue
            capital = EXTENDED if "keo dai" in search_key(t.get("of", "")) else CURRENT
            op = ">" if t.get("op") == ">" else ">="
            milestones.setdefault((capital, percent, op, due), Milestone(capital, percent, due, op, literal, key))
        for d in task.get("due", []):
            if not d.get("date"):
                continue
            due = dt.date.fromisoformat(d["date"])
            sentence = search_key(_sentence_with(task.get("text", ""), d.get("literal", "")))
            if due.year == year and "keo dai" in sentence and any(w in sentence for w in _FULL_WORDS):
                m = Milestone(EXTENDED, HUNDRED, due, ">=", d.get("literal", ""), key)
                milestones.setdefault((EXTENDED, HUNDRED, ">=", due), m)
    return Rules(tuple(sorted(milestones.values(), key=lambda m: (m.capital, m.due))), cut, denominator)
