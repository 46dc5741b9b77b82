import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.core import clock, params
from dondoc.core.calendar import get_calendar
from dondoc.core.concurrency import StaleEdit, conflict_rows, parse_version
from dondoc.documents.official import build_docx
from dondoc.documents.pdf import docx_to_pdf, soffice
from dondoc.documents.spreadsheet import build_xlsx
from dondoc.domain import reporting_cycle as rc

from . import actions, consolidated, queries
from .models import Attachment, Obligation, ReportState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _obligation(request) -> Obligation | None:
    pk = params.pk(request.GET, "obligation") or params.pk(request.POST, "obligation")
    if pk:
        return get_object_or_404(Obligation.objects.select_related("program", "to_agency"), pk=pk)
    return queries.default_obligation()


def _calendar(request):
    """The working calendar, read once per request (each read is a query of the override table)."""
    if not hasattr(request, "_dondoc_calendar"):
        request._dondoc_calendar = get_calendar()
    return request._dondoc_calendar


def _as_of(request) -> tuple[dt.date, bool]:
    value = request.GET.get("as_of", "").strip()
    if not value:
        return clock.today(), False
    try:
        return params.parse_date(value), False
    except ValueError:
        return clock.today(), True


@login_required
def report_list(request):
    obligation = _obligation(request)
    as_of, bad_date = _as_of(request)
    context = {"obligation": obligation, "as_of": as_of, "bad_date": bad_date,
               "obligations": Obligation.objects.select_related("program")}
    if obligation is None:
        return render(request, "reporting/list.html", context)
    period_list = queries.periods(obligation, as_of)[-12:]
    cal = _calendar(request)  # every period's due day comes from it
    rows = queries.grid(request.user, obligation, period_list, as_of, cal=cal)
    current = rc.period_start(obligation.every, as_of)
    columns = [{"period": p, "label": rc.label(obligation.every, p), "due": queries.due(obligation, p, cal),
                "rates": queries.column_rates(rows, i)} for i, p in enumerate(period_list)]
    own = access.scope(request.user, Agency.objects.all()) if not access.sees_all(request.user) else []
    context.update({
        "rows": rows, "columns": columns, "overall": queries.overall_rates(rows), "current": current,
        "current_label": rc.label(obligation.every, current), "current_due": queries.due(obligation, current, cal),
        "rule": queries.due_rule(obligation), "own_agencies": own,
        "not_reported": [r for r in rows if r.cells and r.cells[-1].period == current
                         and r.cells[-1].state in (rc.MISSING, rc.PENDING)],
        "can_consolidate": access.can(request.user, "report.consolidate"),
        "months": [c for c in columns], "has_soffice": bool(soffice()),
        "window": rc.data_window(obligation.every, current, obligation.cutoff_day),
    })
    return render(request, "reporting/list.html", context)


@login_required
@require_POST
def report_open(request):
    obligation = _obligation(request)
    if obligation is None:
        raise Http404
    agency = access.get_agency_for(request.user, request.POST.get("agency", ""))
    try:
        period = dt.date.fromisoformat(request.POST.get("period", ""))
        report = actions.open_report(actor=request.user, obligation=obligation, agency=agency, period=period)
    except PermissionDenied:
        raise Http404 from None
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("reports:list")
    return redirect("reports:detail", pk=report.pk)


def _form_data(post) -> dict:
    tasks = []
    for key in post:
        if key.startswith("status-"):
            aid = key.split("-", 1)[1]
            if aid.isdigit():
                tasks.append({"assignment": int(aid), **{f: post.get(f"{f}-{aid}", "") for f in actions.TASK_FIELDS}})
    return {
        "tasks": tasks,
        "indicators": {k[4:]: v for k, v in post.items() if k.startswith("ind-")},
        "difficulties": post.get("difficulties", ""),
        "recommendations": post.get("recommendations", "").splitlines(),
    }


@login_required
def report_detail(request, pk):
    report = queries.get_report_for(request.user, pk)
    user, at = request.user, clock.now()  # the request's one business moment, passed to the actions
    today = at.date()
    cal = _calendar(request)
    can_edit = (access.can(user, "report.edit", report.agency) and report.state in (ReportState.DRAFT, ReportState.RETURNED)
                and not queries.locked(report, today, cal))
    can_submit = can_edit and access.can(user, "report.submit", report.agency)
    can_review = access.can(user, "report.review", report) and report.state in (ReportState.SUBMITTED,
                                                                                ReportState.RESUBMITTED)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "submit" and can_edit and not can_submit:
            # officers prepare, the head submits: a forged submit saves nothing and keeps the text in the form
            messages.error(request, _("Only the agency head can submit the report. Nothing was saved: use "
                                      "\"Save draft\" to keep your changes."))
            return _render_detail(request, report, can_edit, can_submit, can_review, posted=_form_data(request.POST),
                                  version=request.POST.get("version"), status=403)
        try:
            if action in ("save", "submit") and can_edit:
                posted = _form_data(request.POST)
                try:
                    actions.save_draft(actor=user, report=report, data=posted, at=at,
                                       version=parse_version(request.POST.get("version")))
                except StaleEdit as exc:
                    current = queries.get_report_for(user, pk)
                    conflict = {"by": exc.by, "at": exc.at, "rows": conflict_rows(
                        *_diff_fields(current, current.draft, posted))}
                    return _render_detail(request, current, can_edit, can_submit, can_review, posted=posted,
                                          version=current.version, conflict=conflict, status=409)
                if action == "submit":
                    actions.submit(actor=user, report=report, at=at)
                    messages.success(request, _("The report was sent to the DPI."))
                else:
                    messages.success(request, _("Draft saved."))
            elif action == "attach" and can_edit and request.FILES.get("file"):
                actions.add_attachment(actor=user, report=report, uploaded=request.FILES["file"], at=at)
                messages.success(request, _("File attached."))
            elif action == "return" and can_review:
                actions.return_report(actor=user, report=report, reason=request.POST.get("reason", ""))
                messages.success(request, _("The report was returned to the agency."))
            elif action == "accept" and can_review:
                actions.accept(actor=user, report=report, at=at)
                messages.success(request, _("The report was accepted."))
            elif action == "petition" and access.can(user, "report.review", report):
                petition = actions.recommendation_to_petition(actor=user, report=report,
                                                              index=params.integer(request.POST, "index", default=-1, low=-1, high=10_000), at=at)
                messages.success(request, _("Petition %(id)s created from the recommendation.") % {"id": petition.pk})
            else:
                raise PermissionDenied
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            if action in ("save", "submit"):
                return _render_detail(request, report, can_edit, can_submit, can_review, posted=_form_data(request.POST))
        return redirect("reports:detail", pk=report.pk)
    return _render_detail(request, report, can_edit, can_submit, can_review)


def _diff_fields(report, theirs: dict, yours: dict) -> tuple[dict, dict, dict]:
    """Labels and flat values of a report's content (stored draft vs posted form), for the conflict diff."""
    labels = {}
    names = {"status": _("Status"), "done": _("What was done"), "figures": _("Figures"),
             "difficulties": _("Difficulties")}
    flat = ({}, {})
    for side, content in zip(flat, (theirs, yours), strict=True):
        for t in content.get("tasks", []):
            for f in actions.TASK_FIELDS:
                side[f"{t['assignment']}.{f}"] = t.get(f, "")
        for code, value in (content.get("indicators") or {}).items():
            side[f"ind.{code}"] = value
        side["difficulties"] = content.get("difficulties", "")
        side["recommendations"] = [r.strip() for r in content.get("recommendations", []) if r and r.strip()]
    for t in theirs.get("tasks", []):
        for f in actions.TASK_FIELDS:
            labels[f"{t['assignment']}.{f}"] = f"{t.get('key', '')} — {names[f]}"
    for ind in report.obligation.indicators.filter(agency=report.agency):
        labels[f"ind.{ind.code}"] = ind.name
    labels["difficulties"] = _("Difficulties")
    labels["recommendations"] = _("Recommendations (one per line)")
    return labels, flat[0], flat[1]


def _render_detail(request, report, can_edit, can_submit, can_review, posted=None, version=None, conflict=None,
                   status=200):
    content = posted or report.draft
    if posted:  # the posted rows carry only the edited fields: the task's key and role come from the report
        base = {t["assignment"]: t for t in report.draft.get("tasks", [])}
        content = {**posted, "tasks": [{**base.get(t["assignment"], {}), **t} for t in posted.get("tasks", [])]}
    assignments = {a.pk: a for a in queries.my_assignments(report.obligation, report.agency,
                                                           only=("pk", "task_id", "task__text"))}
    tasks = []
    for t in content.get("tasks", []):
        a = assignments.get(t["assignment"])  # None: no longer assigned in the current version
        tasks.append({**t, "url": reverse("tasks:detail", args=[a.task_id]) if a else "",
                      "title": Truncator(a.task.text).words(40) if a else ""})
    indicators = [(i, content.get("indicators", {}).get(i.code, ""))
                  for i in report.obligation.indicators.filter(agency=report.agency)]
    cal = _calendar(request)
    deadline = queries.due(report.obligation, report.period, cal)
    return render(request, "reporting/detail.html", {
        "report": report, "content": content, "tasks": tasks, "indicators": indicators, "can_edit": can_edit,
        "can_submit": can_submit, "can_review": can_review, "deadline": deadline,
        "rule": queries.due_rule(report.obligation), "label": rc.label(report.obligation.every, report.period),
        "versions": report.versions.defer("content").order_by("-number"), "attachments": report.attachments.all(),
        "locked": queries.locked(report, clock.today(), cal),
        "statuses": [("not_started", _("not started")), ("in_progress", pgettext("task status", "in progress")),
                     ("done", _("done"))],
        "window": rc.data_window(report.obligation.every, report.period, report.obligation.cutoff_day),
        "can_petition": access.can(request.user, "report.review", report),
        "version": version if version is not None else report.version, "conflict": conflict,
    }, status=status)


@login_required
def report_version(request, pk, number):
    report = queries.get_report_for(request.user, pk)
    version = get_object_or_404(report.versions, number=number)
    return render(request, "reporting/version.html", {"report": report, "version": version,
                                                      "label": rc.label(report.obligation.every, report.period),
                                                      "indicators": report.obligation.indicators.filter(agency=report.agency)})


@login_required
def attachment(request, pk):
    try:
        att = access.scope(request.user, Attachment.objects.select_related("report")).get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404 from None
    response = FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type)
    response["X-Content-Type-Options"] = "nosniff"  # never rendered as what a browser guesses
    return response


@login_required
def consolidated_report(request):
    if not access.can(request.user, "report.consolidate"):
        raise Http404
    obligation = _obligation(request)
    if obligation is None:
        raise Http404
    try:
        month = params.parse_date(request.GET.get("period", ""))
    except ValueError:
        raise Http404 from None
    as_of, _bad = _as_of(request)
    fmt = request.GET.get("format", "docx")
    program = obligation.program
    name = f"bao-cao-{program.number.replace('/', '-')}-{month:%Y-%m}"
    if fmt == "xlsx":
        data = build_xlsx(consolidated.annex(program, month, as_of=as_of))
        return HttpResponse(data, content_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
    number = params.integer(request.GET, "number", low=1, high=999_999)
    doc = consolidated.build(program, month, as_of=as_of, date=clock.today(),
                             number=number)
    data = build_docx(doc)
    if fmt == "pdf":
        try:
            data = docx_to_pdf(data)
        except RuntimeError:
            messages.error(request, _("PDF needs LibreOffice on the server; download the Word file instead."))
            return redirect("reports:list")
        return HttpResponse(data, content_type="application/pdf",
                            headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})
    return HttpResponse(data, content_type=DOCX, headers={"Content-Disposition": f'attachment; filename="{name}.docx"'})
