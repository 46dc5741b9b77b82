import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc import access
from dondoc.core import calendar, clock, params
from dondoc.core.models import AuditEvent, CalendarOverride
from dondoc.domain import sla
from dondoc.domain.workdays import CalendarRangeError
from dondoc.jobs import actions as job_actions
from dondoc.jobs.models import Job

from . import actions, importers, queries
from . import jobs as dossier_jobs
from .forms import DossierForm, EventForm, ImportForm, OverrideForm
from .labels import STATE_LABELS


def _day(value: str | None) -> dt.date | None:
    return clock.optional_date(value)


def _month(value: str) -> tuple[int, int] | None:
    for fmt in ("%m/%Y", "%Y-%m"):
        try:
            d = dt.datetime.strptime(value, fmt)  # noqa: DTZ007 - a month, no time zone
            return d.year, d.month
        except ValueError:
            continue
    return None


SECTION_ROWS = 20  # rows shown under "Overdue" and "Due soon"; the list filtered by state has them all


@login_required
def home(request):
    today = clock.today()
    f = {k: request.GET.get(k, "").strip() for k in ("agency", "type", "state", "month", "as_of")}
    as_of = _day(f["as_of"]) or today
    month = _month(f["month"]) if f["month"] else None
    dossiers = queries.dossiers_for(request.user).prefetch_related(None).select_related(None)
    if f["agency"]:
        dossiers = dossiers.filter(agency__code=f["agency"].upper())
    if f["type"]:
        dossiers = dossiers.filter(type__code=f["type"])
    if as_of.year not in calendar.YEARS:
        as_of = today
    try:
        states = queries.States(dossiers, as_of)
    except CalendarRangeError:  # a clock counting past the calendar's years
        as_of = today
        states = queries.States(dossiers, as_of)
    listed = dossiers
    if month:
        first = dt.date(*month, 1)
        listed = listed.filter(received_on__gte=first, received_on__lt=(first + dt.timedelta(days=31)).replace(day=1))
    counts = states.tally(dossiers)
    listed_counts = states.tally(listed) if month else counts
    state = f["state"] if f["state"] in sla.STATES else ""
    # The list's page first: a section above it showing the same first rows reads nothing more.
    page = Paginator(queries.StateOrdered(listed, states, listed_counts, only=state), 50).get_page(
        request.GET.get("page"))
    sections = {s: queries.StateOrdered(dossiers, states, counts, only=s) for s in (sla.OVERDUE, sla.DUE_SOON)}
    return render(request, "deadlines/home.html", {
        "filters": f,
        "as_of": as_of,
        "is_past": as_of != today,
        "bad_date": bool(f["as_of"]) and _day(f["as_of"]) is None,
        "bad_month": bool(f["month"]) and month is None,
        "page": page,
        "overdue": sections[sla.OVERDUE][:SECTION_ROWS], "overdue_count": counts[sla.OVERDUE],
        "due_soon": sections[sla.DUE_SOON][:SECTION_ROWS], "due_soon_count": counts[sla.DUE_SOON],
        "section_rows": SECTION_ROWS,
        "compliance": queries.compliance_table(dossiers, as_of),
        "types": queries.types(),
        "agencies": queries.agencies_with_dossiers(request.user),
        "states": [(s, STATE_LABELS[s]) for s in sla.STATES],
        "can_enter": queries.entry_agencies(request.user).exists(),
        "can_manage_calendar": access.can(request.user, "calendar.manage"),
    })


@login_required
def dossier_new(request):
    agencies = queries.entry_agencies(request.user)
    if not agencies.exists():
        raise Http404
    form = DossierForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = actions.create_dossier(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Dossier %(ref)s entered.") % {"ref": dossier.reference})
            return redirect("deadlines:detail", pk=dossier.pk)
    return render(request, "deadlines/new.html", {"form": form, "types": queries.types()})


@login_required
def dossier_detail(request, pk):
    dossier = queries.get_dossier_for(request.user, pk)
    today = clock.today()
    can_edit = access.can(request.user, "dossier.edit", dossier) and dossier.completed_on is None
    paused = any(p.resumed_on is None for p in dossier.pauses.all())
    clock_ = queries.evaluate_one(dossier, max(today, dossier.received_on))
    history = AuditEvent.objects.filter(target_type="deadlines.dossier", target_id=str(dossier.pk)).order_by("at", "id")
    return render(request, "deadlines/detail.html", {
        "dossier": dossier,
        "clock": clock_,
        "state_label": STATE_LABELS[clock_.state],
        "pauses": dossier.pauses.all(),
        "paused": paused,
        "can_edit": can_edit,
        "form": EventForm(initial={"on": today}),
        "history": history,
    })


EVENTS = {"pause": actions.pause_dossier, "resume": actions.resume_dossier, "complete": actions.complete_dossier}


@login_required
@require_POST
def dossier_event(request, pk, event):
    dossier = queries.get_dossier_for(request.user, pk)
    if event not in EVENTS or not access.can(request.user, "dossier.edit", dossier):
        raise Http404
    form = EventForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dates must be written dd/mm/yyyy, e.g. 05/10/2020."))
        return redirect("deadlines:detail", pk=pk)
    kwargs = {"actor": request.user, "dossier": dossier, "on": form.cleaned_data["on"]}
    if event == "pause":
        kwargs["reason"] = form.cleaned_data["reason"]
    try:
        EVENTS[event](**kwargs)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, {
            "pause": _("Clock paused."), "resume": _("Clock resumed."), "complete": _("Dossier completed."),
        }[event])
    return redirect("deadlines:detail", pk=pk)


@login_required
def dossier_import(request):
    """Upload → a background job parses and applies the file (ADR 0011); this page shows the job's progress and
    then its report (``?job=N``, the uploader's own jobs only)."""
    if not queries.entry_agencies(request.user).exists():
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_actions.create_job(actor=request.user, kind=dossier_jobs.KIND, uploaded=form.cleaned_data["file"],
                                     options={}, dry_run=form.cleaned_data["dry_run"], folder="deadlines/imports",
                                     at=timezone.now())
        return redirect(f"{reverse('deadlines:import')}?job={job.pk}")
    job = None
    if job_id := params.pk(request.GET, "job"):
        job = Job.objects.filter(pk=job_id, kind=dossier_jobs.KIND, created_by=request.user).first()
        if job is None:
            raise Http404
    context = {"form": form, "job": job, "result": (job.result or {}) if job else {},
               "columns": [words[0] for words in importers.SYNONYMS.values()]}
    if job is not None and request.htmx:
        return render(request, "deadlines/import.html#status", context)
    return render(request, "deadlines/import.html", context)


@login_required
def calendar_view(request):
    today = clock.today()
    year = params.year(request.GET, default=today.year)
    cal = calendar.get_calendar()
    if year not in cal.years:
        year = today.year
    can_manage = access.can(request.user, "calendar.manage")
    form = OverrideForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                actions.set_override(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?year={form.cleaned_data['date'].year}")
    days = [{**d, "day": dt.date.fromisoformat(d["date"])} for d in cal.holidays_in_year(year)]
    return render(request, "deadlines/calendar.html", {
        # Years as text: the Vietnamese number format would print 2.020.
        "year": str(year), "days": days, "years": [str(year - 1), str(year + 1)],
        "unconfirmed": year > cal.confirmed_until,
        "source": {k: str(v) for k, v in calendar.source().items()},
        "overrides": CalendarOverride.objects.select_related("entered_by"),
        "can_manage": can_manage, "form": form,
        "example": calendar.monthly_due(year, today.month if year == today.year else 9),
    })


@login_required
@require_POST
def override_remove(request, pk):
    if not access.can(request.user, "calendar.manage"):
        raise Http404
    override = CalendarOverride.objects.filter(pk=pk).first()
    if override is None:
        raise Http404
    actions.remove_override(actor=request.user, override=override)
    messages.success(request, _("Override removed."))
    return redirect(f"{reverse('deadlines:calendar')}?year={override.date.year}")
