"""The year's disbursement overview and an investor's page."""

from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.shortcuts import render

from dondoc import access
from dondoc.core import params
from dondoc.domain import disbursement as rules_mod

from .. import charts, queries
from .common import as_of as _as_of
from .common import require_view


def _agency_groups(rows: list[queries.InvestorRow]) -> list[dict]:
    """Investors rolled up to their responsible agency (the cut list is shown by agency too)."""
    groups: dict = {}
    for row in rows:
        agency = row.investor.agency
        g = groups.setdefault(agency.pk if agency else None, {"agency": agency, "rows": [],
                                                               "current": queries.Figures(),
                                                               "extended": queries.Figures()})
        g["rows"].append(row)
        g["current"].add(row.current.plan, row.current.disbursed)
        g["extended"].add(row.extended.plan, row.extended.disbursed)
    return sorted(groups.values(), key=lambda g: (g["agency"] is None, g["agency"].code if g["agency"] else ""))


@login_required
def home(request):
    require_view(request.user)
    as_of = _as_of(request)
    year = params.year(request.GET, default=as_of.year)
    evaluation = queries.evaluate(year=year, as_of=as_of, user=request.user, projects=False)
    curve = queries.s_curve(year, as_of, request.user)
    findings = evaluation.findings
    # Behind their schedule: counted and ordered (most behind first) in the database; only the 20 shown evaluated.
    lagging = queries.project_list(request.user, year=year, as_of=as_of, behind=True)
    shown = list(lagging.order_by(F("paid") - F("due"), "code").values_list("pk", flat=True)[:20])
    behind = queries.evaluate(year=year, as_of=as_of, user=request.user, only=Q(pk__in=shown)).projects if shown else []
    return render(request, "investment/home.html", {
        "ev": evaluation, "as_of": as_of, "year": year, "chart": charts.s_curve_svg(curve),
        "groups": _agency_groups(evaluation.investors),
        "cut": [f for f in findings if f.rule == rules_mod.CUT],
        "behind": sorted(behind, key=lambda r: (r.total.disbursed - r.committed_to_date, r.project.code)),
        "behind_count": lagging.count(),
        "gap": evaluation.milestone_gap,
        "can_import": access.can(request.user, "investment.import"),
        "sees_all": access.sees_all(request.user),
    })


@login_required
def investor_detail(request, pk: int):
    require_view(request.user)
    investor = queries.get_investor_for(request.user, pk)
    as_of = _as_of(request)
    evaluation = queries.evaluate(year=as_of.year, as_of=as_of, user=request.user, only=Q(investor=investor))
    row = next(iter(evaluation.investors), None)
    projects = evaluation.projects
    return render(request, "investment/investor.html", {
        "investor": investor, "row": row, "projects": projects, "as_of": as_of, "ev": evaluation,
    })
