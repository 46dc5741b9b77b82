"""Project list, a project's page (plan lines, commitment vs. actual, payments) and its committed schedule."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc import access
from dondoc.core import clock, params
from dondoc.core.concurrency import StaleEdit, conflict_rows
from dondoc.domain.formats import format_money

from .. import actions, queries
from ..forms import ScheduleForm
from ..models import Commitment
from .common import as_of as _as_of
from .common import require_view

PAGE = 50
PAYMENTS_PAGE = 100


@login_required
def project_list(request):
    """The projects with a plan of the year: filtered, counted, ordered and paged in the database; the figures of
    the page's projects only."""
    require_view(request.user)
    as_of = _as_of(request)
    year = as_of.year
    q = request.GET.get("q", "").strip()
    investor = request.GET.get("investor", "")
    behind = bool(request.GET.get("behind"))
    projects = queries.project_list(request.user, year=year, as_of=as_of, q=q,
                                    investor=params.pk(request.GET, "investor"), behind=behind)
    page = Paginator(projects, PAGE).get_page(request.GET.get("page"))
    evaluation = queries.evaluate(year=year, as_of=as_of, user=request.user,
                                  only=Q(pk__in=[p.pk for p in page.object_list]))
    rows = {r.project.pk: r for r in evaluation.projects}
    page.object_list = [rows[p.pk] for p in page.object_list if p.pk in rows]
    return render(request, "investment/project_list.html", {
        "page": page, "as_of": as_of, "q": q, "investor": investor, "behind": behind,
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
    require_view(request.user)
    return _render_project(request, queries.get_project_for(request.user, code))


def _render_project(request, project, form=None, conflict=None, status=200):
    as_of = _as_of(request)
    year = as_of.year
    evaluation = queries.evaluate(year=year, as_of=as_of, user=request.user, only=Q(pk=project.pk))
    row = next(iter(evaluation.projects), None)
    can_commit = access.can(request.user, "investment.commit", project)
    if form is None and can_commit:
        form = ScheduleForm(initial_months=row.schedule if row else {}, version=project.version)
    return render(request, "investment/project.html", {
        "project": project, "row": row, "as_of": as_of, "year": year, "ev": evaluation,
        "lines": project.plan_lines.select_related("batch").order_by("year", "origin_year", "source", "assigner", "id"),
        "payments": Paginator(project.disbursements.filter(paid_on__lte=as_of).order_by("-paid_on", "-id"),
                              PAYMENTS_PAGE).get_page(request.GET.get("payments")),
        "months": _months(row, year, as_of) if row else [],
        "can_commit": can_commit,
        "form": form if can_commit else None, "conflict": conflict,
    }, status=status)


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
            changed = actions.set_schedule(actor=request.user, project=project, year=year, months=form.months(),
                                           at=clock.now(), version=form.opened_version())
        except StaleEdit as exc:
            current = queries.get_project_for(request.user, code)
            saved = dict(Commitment.objects.filter(project=current, year=year).values_list("month", "amount"))
            labels = {m: str(form.fields[f"m{m}"].label) for m in range(1, 13)}
            rows = conflict_rows(labels, {m: format_money(saved.get(m, 0)) for m in labels},
                                 {m: format_money(v) for m, v in form.months().items()})
            form.reopen_at(current.version)
            return _render_project(request, current, form=form, status=409,
                                   conflict={"by": exc.by, "at": exc.at, "rows": rows})
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Committed schedule saved (%(n)s months changed).") % {"n": changed})
    else:
        messages.error(request, _("Check the amounts of the committed schedule."))
    return redirect("investment:project", code=project.code)
