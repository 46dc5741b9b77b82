"""What each project will not use and what it may receive, as the solver's lines (ADR 0005, "Reallocation").
Pure Python: the investment app reads the figures (``investment.queries.reallocation_inputs``) and passes values.

A project's forecast is of all its capital of the year (current + extended, as its committed schedule is); what it
will not use is attributed to its lines in proportion to what each line has left to disburse (current and extended
capital each against its own payments). A receiver takes its declared additional need, capped by its remaining total
investment, on one line: its current-year local-budget line, else its largest current-year line; a project that will
itself leave a whole million unused receives nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from . import reallocation as solver
from .forecast import REFERENCE_CURVE, Forecast, curve_share, forecast
from .vn_numbers import format_money

UNIT = solver.UNIT
LOCAL_SOURCE = "NSDP"  # the local budget (investment.models.Source.NSDP): where a receiver takes its need


@dataclass(frozen=True)
class PlanLineIn:
    """A line of the plan in force (province-assigned): the key within its project and the amount."""

    source: str
    budget_level: str
    origin_year: int
    amount: int


@dataclass(frozen=True)
class ProjectIn:
    code: str
    lines: tuple[PlanLineIn, ...]
    paid_current: int = 0  # disbursed on the year's own capital
    paid_extended: int = 0  # disbursed on extended capital
    schedule: Mapping[int, int] = field(default_factory=dict)  # month -> committed amount of that month
    declared_need: int = 0
    total_investment: int | None = None
    allocated: int = 0  # new capital allocated over all plan years (each year's own lines)
    name: str = ""  # for the annex
    investor: str = ""


@dataclass
class LineState:
    source: str
    budget_level: str
    origin_year: int
    amount: int  # the line's plan as of the date
    surplus: int = 0  # attributed share of the project's forecast unused capital


@dataclass
class ProjectForecast:
    code: str
    plan: int
    disbursed: int
    forecast: Forecast
    declared_need: int
    remaining_investment: int | None
    need: int = 0  # what it may receive (declared, capped; 0 when it will not use its own plan)
    absorption: float = 1.0
    lines: list[LineState] = field(default_factory=list)
    receiving: LineState | None = None
    name: str = ""
    investor: str = ""

    @property
    def unused(self) -> int:
        return self.forecast.unused(self.plan)

    @property
    def expected(self) -> int:
        return max(0, min(self.plan, self.forecast.year_end))


@dataclass
class Analysis:
    year: int
    as_of: dt.date
    projects: dict[str, ProjectForecast]
    lines: list[solver.Line]
    result: solver.Proposal
    labels: Mapping[str, str] = field(default_factory=dict)  # source code -> label (the JSON and documents)

    @property
    def objective(self) -> int:
        return sum(p.expected for p in self.projects.values()) + self.result.gained

    def line(self, code: str, source: str, level: str, origin_year: int) -> LineState | None:
        return next((ln for ln in self.projects[code].lines
                     if (ln.source, ln.budget_level, ln.origin_year) == (source, level, origin_year)), None)

    def label(self, source: str) -> str:
        return self.labels.get(source, source)

    def why(self, t: solver.Transfer) -> str:
        d, r = self.projects[t.source_code], self.projects[t.target_code]
        return (f"Dự án {d.code} dự báo đến ngày 31/12/{self.year} giải ngân {format_money(d.expected)}/"
                f"{format_money(d.plan)} triệu đồng, không sử dụng hết {format_money(d.unused)} triệu đồng; "
                f"dự án {r.code} có nhu cầu bổ sung vốn {format_money(r.need)} triệu đồng và đang giải ngân "
                f"{format_money(r.disbursed)}/{format_money(r.plan)} triệu đồng.")

    def as_dict(self) -> dict:
        """The `investment reallocate --json` contract."""
        return {"as_of": self.as_of.isoformat(),
                "transfers": [{"from": t.source_code, "to": t.target_code, "source": self.label(t.source),
                               "budget_level": t.budget_level, "year": t.year, "amount": str(t.amount),
                               "why": self.why(t)} for t in self.result.transfers],
                "unplaced": str(self.result.unplaced), "objective": str(self.objective)}


def cumulative(monthly: Mapping[int, int]) -> dict[int, int]:
    """Month (1..12) -> running sum of the monthly amounts."""
    running, out = 0, {}
    for month in range(1, 13):
        running += monthly.get(month, 0)
        out[month] = running
    return out


def absorption(fc: Forecast, plan: int, disbursed: int, as_of: dt.date) -> float:
    """Share of extra capital a receiver is expected to disburse by year end: how well it keeps its pace."""
    if fc.method == "schedule":
        return float(Decimal(fc.inputs.get("kept_ratio", "1")))
    share = curve_share(REFERENCE_CURVE, as_of)
    if plan <= 0 or share <= 0:
        return 0.0
    return round(min(1.0, float(Decimal(disbursed) / (Decimal(plan) * share))), 3)


def weights(lines: list[LineState], year: int, paid_current: int, paid_extended: int) -> list[int]:
    """Each line's weight in the unused capital: what its kind (current / extended) has left to disburse, shared
    among that kind's lines by their amounts."""
    kinds = {False: (sum(s.amount for s in lines if s.origin_year == year), paid_current),
             True: (sum(s.amount for s in lines if s.origin_year < year), paid_extended)}
    out = []
    for s in lines:
        kind_plan, kind_paid = kinds[s.origin_year < year]
        out.append(max(0, kind_plan - kind_paid) * s.amount // kind_plan if kind_plan else 0)
    return out


def attribute(lines: list[LineState], unused: int, year: int, paid_current: int, paid_extended: int) -> None:
    """Set each line's ``surplus``: its share of ``unused`` by weight, never more than the line itself."""
    w = weights(lines, year, paid_current, paid_extended)
    total = sum(w)
    for s, weight in zip(lines, w, strict=True):
        s.surplus = min(s.amount, unused * weight // total) if total else 0


def receiving_line(lines: list[LineState], year: int) -> LineState | None:
    """The line a receiver takes its need on: its largest current-year local-budget line, else its largest
    current-year line (ties: the higher source code); None without current-year capital."""
    current = [s for s in lines if s.origin_year == year]
    pool = [s for s in current if s.source == LOCAL_SOURCE] or current
    return max(pool, key=lambda s: (s.amount, s.source)) if pool else None


def project_forecast(p: ProjectIn, *, year: int, as_of: dt.date) -> ProjectForecast:
    states = [LineState(ln.source, ln.budget_level, ln.origin_year, ln.amount)
              for ln in sorted(p.lines, key=lambda ln: (ln.source, ln.origin_year))]
    plan = sum(s.amount for s in states)
    disbursed = p.paid_current + p.paid_extended
    committed = cumulative(p.schedule)
    fc = forecast(plan=plan, disbursed=disbursed, as_of=as_of, schedule=committed if committed[12] else None)
    remaining = None if p.total_investment is None else max(0, p.total_investment - p.allocated)
    pf = ProjectForecast(p.code, plan, disbursed, fc, p.declared_need, remaining, lines=states, name=p.name,
                         investor=p.investor)
    pf.absorption = absorption(fc, plan, disbursed, as_of)
    if pf.unused:
        attribute(states, pf.unused, year, p.paid_current, p.paid_extended)
    if pf.unused < UNIT and p.declared_need > 0:
        pf.need = p.declared_need if remaining is None else min(p.declared_need, remaining)
        pf.receiving = receiving_line(states, year)
    return pf


def solver_lines(pf: ProjectForecast) -> list[solver.Line]:
    out = []
    for s in pf.lines:
        need = pf.need if s is pf.receiving else 0
        if s.surplus or need:
            out.append(solver.Line(pf.code, s.source, s.budget_level, s.origin_year, surplus=s.surplus, need=need,
                                   absorption=pf.absorption))
    return out


def analyse(projects: Iterable[ProjectIn], *, year: int, as_of: dt.date,
            labels: Mapping[str, str] | None = None) -> Analysis:
    """Forecast every project (in the order given), then let the solver propose the transfers."""
    forecasts: dict[str, ProjectForecast] = {}
    lines: list[solver.Line] = []
    for p in projects:
        pf = forecasts[p.code] = project_forecast(p, year=year, as_of=as_of)
        lines += solver_lines(pf)
    return Analysis(year, as_of, forecasts, lines, solver.propose(lines), dict(labels or {}))


def with_transfers(analysis: Analysis, kept: list[solver.Transfer], dropped: int) -> Analysis:
    """The analysis with the transfers a reviewer kept instead of the solver's; ``dropped`` (đồng removed by the
    review) counts as unplaced."""
    gained = sum(int(t.amount * analysis.projects[t.target_code].absorption) for t in kept)
    return replace(analysis, result=solver.Proposal(kept, analysis.result.unplaced + dropped, gained))
