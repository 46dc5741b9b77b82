"""Permission-scoped reads of the investment register: the plan in force on a date, the evaluation of the rules,
the S-curve, the emulation lists, and the figures the reallocation analysis (``domain.reallocation_analysis``) is
fed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from django.db.models import F, Q, Sum
from django.http import Http404

from dondoc import access
from dondoc.domain import disbursement as rules_mod
from dondoc.domain import emulation
from dondoc.domain import reallocation_analysis as realloc
from dondoc.domain.disbursement import CURRENT, EXTENDED, Finding, Rules
from dondoc.domain.text import sort_key as _sort_key

from . import summary
from .models import Assigner, Commitment, Investor, PlanLine, Project, Proposal, RuleSet, Source


def visible_projects(user, *, everything: bool = False):
    return access.scope(user, Project.objects.select_related("investor__agency"), everything=everything)


def visible_investors(user):
    return access.scope(user, Investor.objects.select_related("agency"))


def get_project_for(user, code: str) -> Project:
    try:
        return visible_projects(user).get(code=code)
    except Project.DoesNotExist:
        raise Http404("no such project") from None


def get_investor_for(user, pk: int) -> Investor:
    try:
        return visible_investors(user).get(pk=pk)
    except Investor.DoesNotExist:
        raise Http404("no such investor") from None


# Rules -------------------------------------------------------------------------------------------------------


def rules_for(year: int, denominator: str | None = None) -> Rules:
    """The rules of ``year``: the stored rule set (editable), else as the loaded program states them."""
    ruleset = RuleSet.objects.filter(year=year).prefetch_related("rules").first()
    if ruleset is not None:
        milestones, cut = [], None
        for r in ruleset.rules.all():
            if r.kind == "cut":
                cut = rules_mod.CutRule(r.percent, r.due_on, r.literal, r.task)
            else:
                milestones.append(rules_mod.Milestone(r.capital, r.percent, r.due_on, r.op, r.literal, r.task))
        return Rules(tuple(milestones), cut, denominator or ruleset.denominator)
    derived = rules_from_programs(year)
    return Rules(derived.milestones, derived.cut, denominator or derived.denominator)


def rules_from_programs(year: int) -> Rules:
    """The rules of ``year`` as the current program versions state them. A version's content never changes (a new
    content is a new version), so the rules are derived once per process for a set of versions and a year, not on
    each request (a year without stored rules decoded every program and parsed every task's text per home page)."""
    from dondoc.programs.queries import current_versions

    versions = tuple(current_versions().order_by("program__issued_on", "pk").values_list("pk", "content_hash"))
    return _rules_of_versions(versions, year)


@lru_cache(maxsize=32)
def _rules_of_versions(versions: tuple[tuple[int, str], ...], year: int) -> Rules:
    from dondoc.programs.models import ProgramVersion

    parsed = dict(ProgramVersion.objects.filter(pk__in=[pk for pk, _hash in versions]).values_list("pk", "parsed"))
    tasks: list[dict] = []
    for pk, _hash in versions:
        tasks += parsed[pk].get("tasks", [])
    return rules_mod.rules_from_tasks(tasks, year)


# Figures -----------------------------------------------------------------------------------------------------


class LineInForce(NamedTuple):
    project_id: int
    source: str
    year: int
    origin_year: int
    amount: int
    budget_level: str


def _lines_in_effect_order(year: int | None, until: dt.date, assigners, projects, fields: tuple[str, ...]):
    """Lines effective by ``until`` of ``assigners``, in effect order (``effective_on`` null first, then by date, then
    by id): the lines effective by an earlier date are a prefix of them."""
    lines = PlanLine.objects.filter(assigner__in=assigners).filter(
        Q(effective_on__isnull=True) | Q(effective_on__lte=until))
    if year is not None:
        lines = lines.filter(year=year)
    if projects is not None:
        lines = lines.filter(project__in=projects)
    return lines.order_by(F("effective_on").asc(nulls_first=True), "id").values_list("effective_on", *fields)


def plan_in_force(year: int | None, as_of: dt.date, assigner: str, projects=None
                  ) -> dict[tuple[int, str, int, int], LineInForce]:
    """The plan in force on ``as_of``: per key (project id, source, plan year, year of origin), the latest line
    effective by then (``effective_on`` null = from the start; on the same day, the later line). ``year`` None: every
    plan year. The one place that answers "the plan of a date" (ADR 0005); ``plan_amounts_on`` applies it to several
    dates at once."""
    rows = _lines_in_effect_order(year, as_of, [assigner], projects,
                                  ("project_id", "source", "year", "origin_year", "amount", "budget_level"))
    latest: dict[tuple[int, str, int, int], LineInForce] = {}
    for _on, pid, source, plan_year, origin, amount, level in rows:  # in effect order: the last one of a key wins
        latest[(pid, source, plan_year, origin)] = LineInForce(pid, source, plan_year, origin, amount, level)
    return latest


def plan_amounts_on(year: int, days, assigners, projects=None) -> dict[tuple[str, dt.date], dict[tuple[int, bool], int]]:
    """(assigner, day) -> {(project id, extended) -> plan in force on that day} for each of ``days`` and
    ``assigners``, from one read of the lines (the rule of ``plan_in_force``: per key the last line effective by the
    day, in effect order)."""
    rows = list(_lines_in_effect_order(year, max(days), list(assigners), projects,
                                       ("project_id", "source", "origin_year", "assigner", "amount")))
    out = {}
    for day in days:
        latest: dict[tuple, tuple[int, bool, int]] = {}
        for on, pid, source, origin, assigner, amount in rows:
            if on is not None and on > day:
                break  # effect order: every later row is effective after ``day`` too
            latest[(pid, source, origin, assigner)] = (pid, origin < year, amount)
        for assigner in assigners:
            out[(assigner, day)] = defaultdict(int)
        for (_pid, _source, _origin, assigner), (pid, extended, amount) in latest.items():
            out[(assigner, day)][(pid, extended)] += amount
    return out


def plan_amounts(year: int, as_of: dt.date, assigner: str, projects=None) -> dict[tuple[int, bool], int]:
    """(project id, extended) -> plan in force on ``as_of``."""
    return plan_amounts_on(year, [as_of], [assigner], projects)[(assigner, as_of)]


def disbursed_amounts(year: int, as_of: dt.date, projects=None, since: dt.date | None = None
                      ) -> dict[tuple[int, bool], int]:
    """(project id, extended) -> disbursed of plan ``year`` up to ``as_of`` (from ``since``): the monthly sums and
    the raw rows of a month cut by a date (``summary``)."""
    return summary.totals(year=year, as_of=as_of, projects=projects, since=since)


def monthly_disbursed(year: int, as_of: dt.date, projects=None, extended: bool = False) -> dict[int, int]:
    """Month -> amount disbursed in that month (current or extended capital), up to ``as_of``; 0: paid in earlier
    years for this plan year."""
    out: dict[int, int] = defaultdict(int)
    for (ext, month), total in summary.totals(year=year, as_of=as_of, projects=projects,
                                              fields=("extended", "month")).items():
        if ext != extended:
            continue
        if month.year == year:
            out[month.month] += total
        elif month.year < year:
            out[0] += total
    return out


def schedules(year: int, projects=None) -> dict[int, dict[int, int]]:
    qs = Commitment.objects.filter(year=year)
    if projects is not None:
        qs = qs.filter(project__in=projects)
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for pid, month, amount in qs.values_list("project_id", "month", "amount"):
        out[pid][month] = amount
    return out


@dataclass
class Figures:
    plan: int = 0
    disbursed: int = 0

    @property
    def rate(self) -> Decimal | None:
        return rules_mod.rate(self.disbursed, self.plan)

    def add(self, plan: int, disbursed: int) -> None:
        self.plan += plan
        self.disbursed += disbursed

    def as_dict(self) -> dict:
        return {"plan": str(self.plan), "disbursed": str(self.disbursed), "rate": rules_mod.rate_str(self.rate)}


@dataclass
class ProjectRow:
    project: Project
    current: Figures
    extended: Figures
    schedule: dict[int, int]
    committed_to_date: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def total(self) -> Figures:
        return Figures(self.current.plan + self.extended.plan, self.current.disbursed + self.extended.disbursed)

    @property
    def behind(self) -> bool:
        return any(f.rule == rules_mod.COMMITMENT for f in self.findings)


@dataclass
class InvestorRow:
    investor: Investor
    current: Figures
    extended: Figures
    projects: int = 0
    findings: list[Finding] = field(default_factory=list)
    at_cut_date: Figures | None = None

    @property
    def flags(self) -> set[str]:
        return {f.rule for f in self.findings}

    @property
    def pace_needed(self) -> int | None:
        found = [f for f in self.findings if f.rule == rules_mod.MILESTONE and f.extra.get("capital") == CURRENT]
        return found[0].monthly_pace_needed if found else None


@dataclass
class Evaluation:
    year: int
    as_of: dt.date
    denominator: str
    rules: Rules
    province: Figures
    extended: Figures
    other_denominator: Figures  # the current-year figures on the other denominator
    investors: list[InvestorRow]
    projects: list[ProjectRow]
    findings: list[Finding]
    scoped: bool = False  # an agency user's view: "province" holds only their investors

    @property
    def next_milestone(self):
        return self.rules.checked(CURRENT, self.as_of)

    @property
    def milestone_gap(self) -> tuple[int, int] | None:
        m = self.next_milestone
        if m is None or not self.province.plan:
            return None
        missing = rules_mod.gap(self.province.plan, self.province.disbursed, m.percent, m.op)
        return missing, rules_mod.monthly_pace(missing, self.as_of, m.due)

    def as_dict(self) -> dict:
        """The `investment evaluate --json` contract."""
        return {
            "as_of": self.as_of.isoformat(), "denominator": self.denominator,
            "province": self.province.as_dict(), "extended": self.extended.as_dict(),
            "investors": [{"name": r.investor.name, "agency": r.investor.agency.code if r.investor.agency else None,
                           **r.current.as_dict()} for r in self.investors],
            "findings": [f.as_dict() for f in self.findings],
        }


sort_key = lru_cache(maxsize=8192)(_sort_key)  # names of investors and codes, sorted on every evaluation

RULE_ORDER = {rules_mod.CUT: 0, rules_mod.MILESTONE: 1, rules_mod.COMMITMENT: 2}


def evaluate(*, year: int, as_of: dt.date, denominator: str | None = None, user=None,
             everything: bool = False, only: Q | None = None, projects: bool = True) -> Evaluation:
    """Every figure and finding as of ``as_of`` for the plan of ``year``: what ``user`` may see, or the whole
    province with ``everything=True``. ``only``: a condition on projects (one investor's, one project) computed in
    the database, so one investor's or project's figures cost that investor's or project's rows. ``projects=False``:
    the province and investor figures and findings only (no project rows, no commitment findings; the home panel)."""
    rules = rules_for(year, denominator)
    denominator = rules.denominator
    other = rules_mod.TTG if denominator == rules_mod.TINH else rules_mod.TINH
    projects_qs = visible_projects(user, everything=everything)
    partial = access.partial(user, everything)
    if only is not None:
        projects_qs = projects_qs.filter(only)
    scope = projects_qs.values("pk") if partial or only is not None else None
    cut = rules.cut
    days = [as_of] + ([cut.due] if cut is not None and as_of >= cut.due and cut.due != as_of else [])
    plans_on = plan_amounts_on(year, days, [denominator, other], scope)
    plans, other_plans = plans_on[(denominator, as_of)], plans_on[(other, as_of)]
    paid = disbursed_amounts(year, as_of, scope)
    sched = schedules(year, scope) if projects else {}
    at_cut = None
    if cut is not None and as_of >= cut.due:
        at_cut = (plans_on[(denominator, cut.due)], disbursed_amounts(year, cut.due, scope) if cut.due != as_of else paid)
    in_scope = projects_qs.filter(pk__in=PlanLine.objects.filter(year=year).values("project_id"))
    if projects:
        items = [(p.pk, p.investor_id, p) for p in in_scope]
        investors = {p.investor_id: p.investor for _pid, _inv, p in items}
    else:  # ids only: no project objects for a panel or the overview
        items = [(pid, inv, None) for pid, inv in in_scope.order_by().values_list("pk", "investor_id")]
        investors = Investor.objects.select_related("agency").in_bulk({inv for _pid, inv, _p in items})

    province, extended, other_fig = Figures(), Figures(), Figures()
    by_investor: dict[int, InvestorRow] = {}
    rows: list[ProjectRow] = []
    for pid, investor_id, project in items:
        cur_plan, cur_paid = plans.get((pid, False), 0), paid.get((pid, False), 0)
        ext_plan, ext_paid = plans.get((pid, True), 0), paid.get((pid, True), 0)
        inv = by_investor.get(investor_id)
        if inv is None:
            inv = by_investor[investor_id] = InvestorRow(investors[investor_id], Figures(), Figures())
            inv.at_cut_date = Figures() if at_cut else None
        inv.current.add(cur_plan, cur_paid)
        inv.extended.add(ext_plan, ext_paid)
        other_fig.plan += other_plans.get((pid, False), 0)
        inv.projects += 1
        if at_cut:
            inv.at_cut_date.add(at_cut[0].get((pid, False), 0), at_cut[1].get((pid, False), 0))
        if project is None:
            continue
        row = ProjectRow(project, Figures(cur_plan, cur_paid), Figures(ext_plan, ext_paid), sched.get(pid, {}))
        row.committed_to_date = rules_mod.committed_by(row.schedule, year, as_of)
        if row.schedule:
            total = row.total
            found = rules_mod.check_commitment(code=project.code, plan=total.plan, disbursed=total.disbursed,
                                               schedule=row.schedule, year=year, as_of=as_of)
            if found:
                row.findings.append(found)
        rows.append(row)
    for inv in by_investor.values():
        province.add(inv.current.plan, inv.current.disbursed)
        extended.add(inv.extended.plan, inv.extended.disbursed)
    other_fig.disbursed = province.disbursed

    findings: list[Finding] = [f for r in rows for f in r.findings]
    for inv in by_investor.values():
        name = inv.investor.name
        for capital, fig in ((CURRENT, inv.current), (EXTENDED, inv.extended)):
            milestone = rules.checked(capital, as_of)
            if milestone is None:
                continue
            found = rules_mod.check_milestone(name=name, subject="investor", plan=fig.plan, disbursed=fig.disbursed,
                                              milestone=milestone, as_of=as_of, year=year)
            if found:
                found.extra["capital"] = capital
                inv.findings.append(found)
        if at_cut and inv.at_cut_date is not None:
            found = rules_mod.check_cut(name=name, plan=inv.at_cut_date.plan, disbursed=inv.at_cut_date.disbursed,
                                        cut=cut, as_of=as_of, year=year)
            if found:
                inv.findings.append(found)
        findings += inv.findings
    findings.sort(key=lambda f: (RULE_ORDER[f.rule], f.rate is None, f.rate or 0, sort_key(f.code_or_name)))
    investors = sorted(by_investor.values(), key=lambda r: sort_key(r.investor.name))
    rows.sort(key=lambda r: r.project.code)
    return Evaluation(year, as_of, denominator, rules, province, extended, other_fig, investors, rows, findings,
                      scoped=partial)


def _paid_by_project(year: int, as_of: dt.date):
    """A subquery expression: the project's disbursed (all capital) of plan ``year`` up to ``as_of``."""
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    months, days = summary.pieces(as_of)
    parts = [summary.month_rows(year, None, months[1], by_project=True).filter(project=OuterRef("pk"))]
    parts += [summary.raw_rows(year, first, last, by_project=True).filter(project=OuterRef("pk"))
              for first, last in days]
    total = None
    for qs in parts:
        one = Coalesce(Subquery(qs.order_by().values("project").annotate(s=Sum("amount")).values("s")), Value(0))
        total = one if total is None else total + one
    return total


def _committed_by_project(year: int, as_of: dt.date):
    """A subquery expression: the project's schedule of ``year`` due by ``as_of`` (months ended by then)."""
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    months = sum(1 for m in range(1, 13) if rules_mod.month_end(year, m) <= as_of)
    due = (Commitment.objects.filter(project=OuterRef("pk"), year=year, month__lte=months).order_by()
           .values("project").annotate(s=Sum("amount")).values("s"))
    return Coalesce(Subquery(due), Value(0))


def project_list(user, *, year: int, as_of: dt.date, q: str = "", investor: int | None = None,
                 behind: bool = False):
    """The projects with a plan of ``year`` that ``user`` may see, in code order, as a queryset (count and page it):
    ``q`` in the code or name, one investor's, behind their committed schedule as of ``as_of`` (the commitment
    finding of ``evaluate``: something was due and less was disbursed)."""
    qs = visible_projects(user).filter(pk__in=PlanLine.objects.filter(year=year).values("project_id"))
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if investor:
        qs = qs.filter(investor_id=investor)
    if behind:
        qs = qs.annotate(due=_committed_by_project(year, as_of), paid=_paid_by_project(year, as_of)).filter(
            due__gt=0, paid__lt=F("due"))
    return qs.order_by("code")


def s_curve(year: int, as_of: dt.date, user=None, *, everything: bool = False) -> dict:
    """Cumulative rate of the current-year plan at each month end (the last point at ``as_of``), the committed
    curve at month ends, the milestones."""
    evaluation_scope = visible_projects(user).values("pk") if access.partial(user, everything) else None
    rules = rules_for(year)
    plans = plan_amounts(year, as_of, rules.denominator, evaluation_scope)
    plan = sum(v for (_pid, ext), v in plans.items() if not ext)
    monthly = monthly_disbursed(year, as_of, evaluation_scope)
    actual, total = [], monthly.get(0, 0)
    for month in range(1, 13):
        if dt.date(year, month, 1) > as_of:
            break
        total += monthly.get(month, 0)
        actual.append((min(as_of, rules_mod.month_end(year, month)), rules_mod.rate(total, plan)))
    commitments = Commitment.objects.filter(year=year)
    if evaluation_scope is not None:
        commitments = commitments.filter(project__in=evaluation_scope)
    committed_by_month = dict(commitments.order_by().values_list("month").annotate(total=Sum("amount")))
    plan_all = plan + sum(v for (_pid, ext), v in plans.items() if ext)
    committed, running = [], 0
    for month in range(1, 13):
        running += committed_by_month.get(month, 0)
        committed.append((month, rules_mod.rate(running, plan_all)))
    return {"year": year, "as_of": as_of, "plan": plan, "actual": actual, "committed": committed,
            "milestones": [m for m in rules.for_capital(CURRENT)], "extended_milestones": rules.for_capital(EXTENDED)}


def emulation_lists(*, as_of: dt.date, year: int | None = None, user=None, everything: bool = False
                    ) -> emulation.Lists:
    """Emulation and criticism lists as of ``as_of`` (``domain.emulation``) over the investors ``user`` may see."""
    year = year or as_of.year
    ev = evaluate(year=year, as_of=as_of, user=user, everything=everything)
    investors = [emulation.InvestorFigures(r.investor.name, r.investor.agency.code if r.investor.agency else "",
                                           r.investor.agency.name if r.investor.agency else "",
                                           r.current.plan, r.current.disbursed) for r in ev.investors]
    return emulation.judge(investors, year=year, as_of=as_of, cut=ev.rules.cut.percent if ev.rules.cut else None)


# Reallocation ------------------------------------------------------------------------------------------------

SOURCE_LABELS = dict(Source.choices)
REALLOCATED = Assigner.TINH  # the capital moved: the province-assigned plan (the PPC decides it)


def visible_proposals(user):
    return access.scope(user, Proposal.objects.all())


def get_proposal_for(user, pk: int) -> Proposal:
    try:
        return visible_proposals(user).get(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404("no such proposal") from None


def allocated_new_capital(as_of: dt.date, assigner: str = REALLOCATED) -> dict[int, int]:
    """Project id -> new capital allocated over every plan year in force on ``as_of`` (each year's own lines)."""
    out: dict[int, int] = defaultdict(int)
    for line in plan_in_force(None, as_of, assigner).values():
        if line.origin_year == line.year:
            out[line.project_id] += line.amount
    return out


def reallocation_inputs(year: int, as_of: dt.date) -> list[realloc.ProjectIn]:
    """Every project with a province-assigned line in force, in code order, as the analysis takes it."""
    from .models import budget_level as derive_level

    lines: dict[int, list[LineInForce]] = defaultdict(list)
    for line in plan_in_force(year, as_of, REALLOCATED).values():
        lines[line.project_id].append(line)
    paid = disbursed_amounts(year, as_of)
    sched = schedules(year)
    allocated = allocated_new_capital(as_of)
    out = []
    for project in Project.objects.filter(pk__in=list(lines)).select_related("investor__agency").order_by("code"):
        pid, agency = project.pk, project.investor.agency
        out.append(realloc.ProjectIn(
            code=project.code,
            lines=tuple(realloc.PlanLineIn(ln.source, ln.budget_level or derive_level(ln.source, agency),
                                           ln.origin_year, ln.amount) for ln in lines[pid]),
            paid_current=paid.get((pid, False), 0), paid_extended=paid.get((pid, True), 0),
            schedule=sched.get(pid, {}), declared_need=project.additional_need,
            total_investment=project.total_investment, allocated=allocated.get(pid, 0),
            name=project.name, investor=project.investor.name))
    return out


def analyse_reallocation(*, as_of: dt.date, year: int | None = None) -> realloc.Analysis:
    """Each project's year-end forecast and the solver's transfers as of ``as_of``."""
    year = year or as_of.year
    return realloc.analyse(reallocation_inputs(year, as_of), year=year, as_of=as_of, labels=SOURCE_LABELS)


def analysis_of(proposal: Proposal) -> realloc.Analysis:
    """The analysis of a saved proposal with the transfers the DPI kept (for its Tờ trình and annex)."""
    from dondoc.domain.reallocation import Transfer

    analysis = analyse_reallocation(as_of=proposal.as_of, year=proposal.year)
    kept = [Transfer(t.donor.code, t.receiver.code, t.source, t.budget_level, t.origin_year, t.amount)
            for t in proposal.transfers.filter(amount__gt=0).select_related("donor", "receiver")]
    dropped = sum(t.proposed - t.amount for t in proposal.transfers.all())
    return realloc.with_transfers(analysis, kept, dropped)
