"""Year-end disbursement forecast of a project. Pure Python; amounts in integer đồng.

From the committed schedule when the project has one (scaled by how well it has kept it so far), else from its own
pace stretched along the province's seasonal curve (disbursement is back-loaded into Q4). Every forecast carries
the inputs it used, so the screen can show why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

# National 2020 cumulative shares of the PM-assigned plan (DOMAIN.md §4): the default seasonal curve.
# Month-end -> share of the annual plan disbursed; month 13 is 31/01 of the next year.
REFERENCE_CURVE = {1: Decimal("0.03"), 2: Decimal("0.07"), 3: Decimal("0.12"), 4: Decimal("0.18"),
                   5: Decimal("0.25"), 6: Decimal("0.331"), 7: Decimal("0.4098"), 8: Decimal("0.47"),
                   9: Decimal("0.55"), 10: Decimal("0.63"), 11: Decimal("0.72"), 12: Decimal("0.828"),
                   13: Decimal("0.9613")}


@dataclass(frozen=True)
class Forecast:
    year_end: int  # đồng expected disbursed by 31/12
    legal_end: int  # by 31/01 of the next year, the legal end of the annual plan
    method: str  # "schedule" | "pace" | "none"
    inputs: dict = field(default_factory=dict)

    def unused(self, plan: int) -> int:
        """What the forecast says the project will not use of its plan by year end."""
        return max(0, plan - self.year_end)


def curve_share(curve: dict[int, Decimal], day: dt.date) -> Decimal:
    """The curve's share on ``day``, interpolated within the month."""
    month = day.month
    before = curve.get(month - 1, Decimal(0)) if month > 1 else Decimal(0)
    after = curve[month]
    next_month = dt.date(day.year + (month == 12), month % 12 + 1, 1)
    days = (next_month - dt.date(day.year, month, 1)).days
    return before + (after - before) * Decimal(day.day) / Decimal(days)


def forecast(*, plan: int, disbursed: int, as_of: dt.date, schedule: dict[int, int] | None = None,
             curve: dict[int, Decimal] | None = None) -> Forecast:
    """Forecast of the current year's plan. ``schedule``: month -> committed cumulative đồng at month end."""
    curve = curve or REFERENCE_CURVE
    if plan <= 0:
        return Forecast(disbursed, disbursed, "none", {"plan": plan})
    if schedule:
        months = sorted(m for m in schedule if m <= 12)
        committed_now = max((schedule[m] for m in months if m <= as_of.month), default=0)
        committed_end = schedule.get(12, schedule[months[-1]]) if months else 0
        # Kept the schedule so far? Scale the rest of it by that ratio (never above the schedule itself).
        kept = Decimal(1) if committed_now <= 0 else min(Decimal(1), Decimal(disbursed) / Decimal(committed_now))
        rest = max(0, committed_end - committed_now)
        year_end = min(plan, disbursed + int(Decimal(rest) * kept))
        legal_end = min(plan, year_end + int((plan - year_end) * kept * Decimal("0.5")))
        return Forecast(year_end, legal_end, "schedule", {
            "committed_to_date": committed_now, "committed_year_end": committed_end, "kept_ratio": str(kept.quantize(
                Decimal("0.001")))})
    share_now = curve_share(curve, as_of)
    if share_now <= 0 or disbursed <= 0:
        return Forecast(disbursed, disbursed, "pace", {"share_now": str(share_now), "note": "no disbursement yet"})
    scale_end = curve[12] / share_now
    scale_legal = curve[13] / share_now
    year_end = min(plan, max(disbursed, int(Decimal(disbursed) * scale_end)))
    legal_end = min(plan, max(year_end, int(Decimal(disbursed) * scale_legal)))
    return Forecast(year_end, legal_end, "pace", {"share_now": str(share_now.quantize(Decimal("0.0001"))),
                                                  "share_year_end": str(curve[12])})
