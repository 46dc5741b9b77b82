import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc import access
from dondoc.core import clock
from dondoc.domain import disbursement as rules_mod

from . import actions, charts, jobs, queries
from .forms import ScheduleForm, UploadForm
from .models import ImportJob


def _as_of(request) -> dt.date:
    value = request.GET.get("as_of", "").strip()
    if value:
        try:
            return clock.parse_date(value)
        except ValueError:
            messages.error(request, _("\"%(value)s\" is not a date (dd/mm/yyyy).") % {"value": value})
    return clock.today()


def _require_view(user) -> None:
    if not access.can(user, "investment.view"):
        raise Http404


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
    _require_view(request.user)
    as_of = _as_of(request)
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else as_of.year
    evaluation = queries.evaluate(year=year, as_of=as_of, user=request.user)
    curve = queries.s_curve(year, as_of, request.user)
    findings = evaluation.findings
    return render(request, "investment/home.html", {
        "ev": evaluation, "as_of": as_of, "year": year, "chart": charts.s_curve_svg(curve),
        "groups": _agency_groups(evaluation.investors),
        "cut": [f for f in findings if f.rule == rules_mod.CUT],
        "behind": sorted((r for r in evaluation.projects if r.behind),
                         key=lambda r: r.total.disbursed - r.committed_to_date)[:20],
        "behind_count": sum(1 for r in evaluation.projects if r.behind),
        "gap": evaluation.milestone_gap,
        "can_import": access.can(request.user, "investment.import"),
        "sees_all": access.sees_all(request.user),
    })


@login_required
def investor_detail(request, pk: int):
    _require_view(request.user)
    investor = queries.get_investor_for(request.user, pk)
    as_of = _as_of(request)
    evaluation = queries.evaluate(year=as_of.year, as_of=as_of, user=request.user)
    row = next((r for r in evaluation.investors if r.investor.pk == investor.pk), None)
    projects = [r for r in evaluation.projects if r.project.investor_id == investor.pk]
    return render(request, "investment/investor.html", {
        "investor": investor, "row": row, "projects": projects, "as_of": as_of, "ev": evaluation,
    })


@login_required
def project_list(request):
    _require_view(request.user)
    as_of = _as_of(request)
    evaluation = queries.evaluate(year=as_of.year, as_of=as_of, user=request.user)
    rows = evaluation.projects
    q = request.GET.get("q", "").strip()
    investor = request.GET.get("investor", "")
    if q:
        wanted = set(queries.visible_projects(request.user).filter(Q(code__icontains=q) | Q(name__icontains=q))
                     .values_list("pk", flat=True))
        rows = [r for r in rows if r.project.pk in wanted]
    if investor.isdigit():
        rows = [r for r in rows if r.project.investor_id == int(investor)]
    if request.GET.get("behind"):
        rows = [r for r in rows if r.behind]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "investment/project_list.html", {
        "page": page, "as_of": as_of, "q": q, "investor": investor, "behind": bool(request.GET.get("behind")),
        "investors": queries.visible_investors(request.user).order_by("name"), "ev": evaluation,
    })


def _months(row: queries.ProjectRow, year: int, as_of: dt.date) -> list[dict]:
    paid = queries.monthly_disbursed(year, as_of, [row.project.pk])
    paid_ext = queries.monthly_disbursed(year, as_of, [row.project.pk], extended=True)
    out, committed, actual = [], 0, paid.get(0, 0) + paid_ext.get(0, 0)
    for month in range(1, 13):
        committed += row.schedule.get(month, 0)
        started = dt.date(year, month, 1) <= as_of
        actual += paid.get(month, 0) + paid_ext.get(month, 0)
        out.append({"month": month, "committed": row.schedule.get(month, 0), "committed_cum": committed,
                    "actual": (paid.get(month, 0) + paid_ext.get(month, 0)) if started else None,
                    "actual_cum": actual if started else None,
                    "difference": (actual - committed) if started else None})
    return out


@login_required
def project_detail(request, code: str):
    _require_view(request.user)
    project = queries.get_project_for(request.user, code)
    as_of = _as_of(request)
    year = as_of.year
    evaluation = queries.evaluate(year=year, as_of=as_of, user=request.user)
    row = next((r for r in evaluation.projects if r.project.pk == project.pk), None)
    can_commit = access.can(request.user, "investment.commit", project)
    return render(request, "investment/project.html", {
        "project": project, "row": row, "as_of": as_of, "year": year, "ev": evaluation,
        "lines": project.plan_lines.select_related("batch").order_by("year", "origin_year", "source", "assigner", "id"),
        "payments": project.disbursements.filter(paid_on__lte=as_of).order_by("-paid_on", "-id")[:100],
        "months": _months(row, year, as_of) if row else [],
        "can_commit": can_commit,
        "form": ScheduleForm(initial_months=row.schedule if row else {}) if can_commit else None,
    })


@login_required
@require_POST
def project_schedule(request, code: str):
    project = queries.get_project_for(request.user, code)
    if not access.can(request.user, "investment.commit", project):
        raise Http404
    form = ScheduleForm(request.POST)
    year = clock.today().year
    if form.is_valid():
        try:
            changed = actions.set_schedule(actor=request.user, project=project, year=year, months=form.months())
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Committed schedule saved (%(n)s months changed).") % {"n": changed})
    else:
        messages.error(request, _("Check the amounts of the committed schedule."))
    return redirect("investment:project", code=project.code)


def _require_import(user) -> None:
    if not access.can(user, "investment.import"):
        raise Http404


@login_required
def import_upload(request):
    _require_import(request.user)
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = jobs.create_job(actor=request.user, kind=form.cleaned_data["kind"],
                                  uploaded=form.cleaned_data["file"], options=form.job_options())
            return redirect("investment:job", pk=job.pk)
    return render(request, "investment/import.html", {
        "form": form, "jobs": ImportJob.objects.select_related("created_by")[:20],
    })


@login_required
def import_job(request, pk: int):
    _require_import(request.user)
    job = get_object_or_404(ImportJob, pk=pk)
    context = {"job": job, "progress": jobs.progress_of(job), "status": jobs.describe(job),
               "result": job.result or {}}
    template = "investment/job.html#status" if request.htmx else "investment/job.html"
    return render(request, template, context)


@login_required
@require_POST
def import_confirm(request, pk: int):
    _require_import(request.user)
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        follow = jobs.confirm_job(actor=request.user, job=job)
    except ValueError:
        messages.error(request, _("Only a checked file without errors can be imported."))
        return redirect("investment:job", pk=job.pk)
    return redirect("investment:job", pk=follow.pk)
