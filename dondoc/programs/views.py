import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.core import clock, params
from dondoc.core.concurrency import StaleEdit, conflict_rows, parse_version
from dondoc.domain import task_status
from dondoc.domain.formats import format_date
from dondoc.jobs import actions as job_actions
from dondoc.jobs.models import Job

from . import actions, queries
from . import jobs as program_jobs
from .forms import ExtensionRequestForm, OpinionForm, UpdateForm, UploadForm
from .models import ActionProgram, Assignment, ExtensionState, ProgramImport

PER_PAGE = 50

# Programs --------------------------------------------------------------------------------------------------


@login_required
def program_list(request):
    """The upload is read by a background job (ADR 0011): ``?job=N`` shows its progress, then opens the review of
    the draft it created, or shows why the document could not be read."""
    manage = access.can(request.user, "program.manage")
    form = UploadForm()
    job = None
    if request.method == "POST":
        if not manage:
            raise Http404
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = job_actions.create_job(actor=request.user, kind=program_jobs.KIND,
                                         uploaded=form.cleaned_data["file"], options={}, folder="programs/uploads",
                                         at=timezone.now())
            return redirect(f"{reverse('programs:list')}?job={job.pk}")
    elif manage and (job_id := params.pk(request.GET, "job")):
        job = get_object_or_404(Job, pk=job_id, kind=program_jobs.KIND)
        if job.state == Job.State.DONE:
            review = reverse("programs:review", args=[job.result["draft"]])
            if request.htmx:
                return HttpResponse(headers={"HX-Redirect": review})
            return redirect(review)
        if request.htmx:  # the poll: the fragment while it runs, the whole page (with the error) once it failed
            if job.finished:
                return HttpResponse(headers={"HX-Redirect": request.get_full_path()})
            return render(request, "programs/program_list.html#job", {"job": job})
    drafts = ProgramImport.objects.filter(state=ProgramImport.State.DRAFT) if manage else []
    return render(request, "programs/program_list.html", {
        "programs": queries.programs_for(request.user), "form": form, "manage": manage, "drafts": drafts,
        "job": job,
    })


@login_required
def program_detail(request, pk):
    program = get_object_or_404(ActionProgram, pk=pk)
    versions = list(program.versions.defer("parsed").order_by("-number"))
    number = request.GET.get("version")
    version = next((v for v in versions if str(v.number) == number), versions[0] if versions else None)
    tasks = list(queries.visible_tasks(request.user, version=version)) if version else []
    return render(request, "programs/program_detail.html", {
        "program": program, "versions": versions, "version": version, "tasks": tasks,
        "is_current": version is not None and version == versions[0],
        "reporting": queries.reporting_rules(version) if version else [],
    })


def _labels(value: str) -> list[str]:
    return [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]


def _review_rows(draft: ProgramImport, data) -> tuple[list[dict], dict[int, list[str]]]:
    """Apply the review form to the draft's tasks; return the tasks and the errors by row."""
    codes = set(Agency.objects.values_list("code", flat=True))
    tasks, errors = [], {}
    for i, task in enumerate(draft.parsed["tasks"]):
        row = dict(task)
        problems = []
        for field in ("lead", "partners"):
            if f"{field}-{i}" in data:
                row[field] = _labels(data[f"{field}-{i}"])
            for label in row[field]:
                if label.isupper() and label.isalnum() and label not in codes:
                    problems.append(_("Unknown agency code %(code)s.") % {"code": label})
        due = []
        for j, d in enumerate(task.get("due", [])):
            value = data.get(f"due-{i}-{j}", format_date(dt.date.fromisoformat(d["date"])))
            if value.strip() == "":
                continue  # the reviewer removed a deadline that is not one
            day = clock.optional_date(value)
            if day is None:
                problems.append(_("Deadline \"%(value)s\" is not a date (dd/mm/yyyy).") % {"value": value})
                day = dt.date.fromisoformat(d["date"])
            due.append({**d, "date": day.isoformat()})
        row["due"] = due
        if problems:
            errors[i] = problems
        tasks.append(row)
    return tasks, errors


@login_required
def program_review(request, pk):
    if not access.can(request.user, "program.manage"):
        raise Http404
    draft = get_object_or_404(ProgramImport, pk=pk)
    errors: dict[int, list[str]] = {}
    if request.method == "POST" and draft.state == ProgramImport.State.DRAFT:
        if "discard" in request.POST:
            actions.discard_import(actor=request.user, draft=draft)
            messages.info(request, _("The document was discarded."))
            return redirect("programs:list")
        tasks, errors = _review_rows(draft, request.POST)
        if not errors:
            try:
                actions.edit_import(actor=request.user, draft=draft, tasks=tasks,
                                    version=parse_version(request.POST.get("version")))
            except StaleEdit as exc:  # another reviewer saved: nothing saved or loaded, the user's values kept
                draft.refresh_from_db()
                conflict = {"by": exc.by, "at": exc.at, "rows": conflict_rows(*_review_diff(draft, tasks))}
                return _render_review(request, draft, tasks, {}, conflict=conflict, status=409)
            if "confirm" in request.POST:
                try:
                    result = actions.confirm_import(actor=request.user, draft=draft, at=clock.now())
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                    return redirect("programs:review", pk=draft.pk)
                if result.created:
                    messages.success(request, _("Loaded: %(n)s tasks, %(a)s assignments.") % {
                        "n": result.tasks, "a": result.assignments})
                else:
                    messages.info(request, _("This content is already loaded; nothing changed."))
                return redirect("programs:detail", pk=result.program.pk)
            messages.success(request, _("Corrections saved."))
            return redirect("programs:review", pk=draft.pk)
    return _render_review(request, draft, draft.parsed.get("tasks", []), errors)


def _review_diff(draft: ProgramImport, tasks: list[dict]) -> tuple[dict, dict, dict]:
    """Labels and values (saved review vs the user's) of each task's agencies and deadlines."""
    labels, theirs, yours = {}, {}, {}
    names = {"lead": _("Lead"), "partners": _("Coordinating"), "due": _("Deadlines")}

    def shown(task, field):
        if field == "due":
            return ", ".join(format_date(dt.date.fromisoformat(d["date"])) for d in task.get("due", []))
        return ", ".join(task.get(field) or [])

    for i, (saved, mine) in enumerate(zip(draft.parsed.get("tasks", []), tasks, strict=False)):
        for field, name in names.items():
            key = f"{i}.{field}"
            labels[key] = f"{saved.get('section', '')}.{saved.get('item', '')} — {name}"
            theirs[key], yours[key] = shown(saved, field), shown(mine, field)
    return labels, theirs, yours


def _render_review(request, draft, tasks, errors, conflict=None, status=200):
    rows = []
    for i, task in enumerate(tasks):
        rows.append({"i": i, "task": task, "errors": errors.get(i, []),
                     "due": [(j, dt.date.fromisoformat(d["date"]), d) for j, d in enumerate(task.get("due", []))]})
    return render(request, "programs/review.html", {"draft": draft, "doc": draft.parsed.get("document", {}),
                                                    "reporting": draft.parsed.get("reporting", []), "rows": rows,
                                                    "conflict": conflict}, status=status)


# Tasks -----------------------------------------------------------------------------------------------------


@login_required
def task_list(request):
    """The task register: filtered, counted, ordered and paginated in the database (50 a page)."""
    today = clock.today()
    f = {k: request.GET.get(k, "").strip() for k in ("agency", "section", "status", "due_from", "due_to", "q", "program")}
    tasks = queries.tasks_as_of(
        request.user, today, agency=f["agency"], section=f["section"], status=f["status"],
        due_from=clock.optional_date(f["due_from"]), due_to=clock.optional_date(f["due_to"]), q=f["q"],
        program=params.pk(request.GET, "program"),
    )
    counts = queries.status_counts(tasks)
    paginator = Paginator(tasks, PER_PAGE)
    paginator.count = sum(n for _, n in counts)  # each listed task has one status: no second COUNT query
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    agencies = access.scope(request.user, Agency.objects.filter(
        Exists(Assignment.objects.filter(agency=OuterRef("pk"))))).order_by("code")
    return render(request, "programs/task_list.html", {
        "rows": page, "page": page, "query": query.urlencode(), "filters": f, "today": today, "agencies": agencies,
        "buckets": task_status.BUCKETS, "counts": counts, "sections": queries.sections(tasks),
        "bad_dates": (f["due_from"] and not clock.optional_date(f["due_from"])) or (f["due_to"] and not clock.optional_date(f["due_to"])),
    })


@login_required
def task_detail(request, pk):
    task = queries.get_task_for(request.user, pk)
    today = clock.today()
    user = request.user
    assignments = list(task.assignments.select_related("agency").prefetch_related("updates", "extensions"))
    visible = [a for a in assignments if access.can(user, "task.view", a)]
    for a in visible:
        a.bucket = queries.assignment_bucket(a, today)
        a.can_update = access.can(user, "assignment.update", a)
        a.open_extension = next((e for e in a.extensions.all() if e.is_open), None)
    return render(request, "programs/task_detail.html", {
        "task": task, "today": today, "status": queries.task_bucket(task, today), "assignments": visible,
        "others": [a for a in assignments if a not in visible],
        # The same empty forms under each assignment: rendered once, not once per assignment (49 on a large task).
        "update_form": UpdateForm().as_div(), "extension_form": ExtensionRequestForm().as_div(),
        "opinion_form": OpinionForm(),
        "can_recommend": access.can(user, "extension.recommend"), "can_decide": access.can(user, "extension.decide"),
        "can_reopen": access.can(user, "assignment.reopen"),
        "is_current": queries.is_current(task.version),
    })


def _back(assignment):
    return redirect("tasks:detail", pk=assignment.task_id)


@login_required
@require_POST
def assignment_update(request, pk):
    assignment = queries.get_assignment_for(request.user, pk)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            actions.post_update(actor=request.user, assignment=assignment, text=form.cleaned_data["text"],
                                percent=form.cleaned_data["percent"], completes=form.cleaned_data["completes"], at=clock.now())
            messages.success(request, _("Progress reported."))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Check the progress report: %(errors)s") % {"errors": _errors(form)})
    return _back(assignment)


@login_required
@require_POST
def assignment_reopen(request, pk):
    assignment = queries.get_assignment_for(request.user, pk)
    if not access.can(request.user, "assignment.reopen", assignment):
        raise Http404
    actions.reopen_assignment(actor=request.user, assignment=assignment, reason=request.POST.get("reason", ""))
    messages.success(request, _("The assignment is open again."))
    return _back(assignment)


def _errors(form) -> str:
    return "; ".join(f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}"
                     for k, v in form.errors.items())


@login_required
@require_POST
def extension_request(request, pk):
    assignment = queries.get_assignment_for(request.user, pk)
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            actions.request_extension(actor=request.user, assignment=assignment,
                                      proposed=form.cleaned_data["proposed"], reason=form.cleaned_data["reason"])
            messages.success(request, _("The extension request was sent to the DPI."))
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Check the extension request: %(errors)s") % {"errors": _errors(form)})
    return _back(assignment)


@login_required
@require_POST
def extension_opinion(request, pk):
    """The DPI's recommendation or the leader's decision, depending on the extension's state."""
    extension = queries.get_extension_for(request.user, pk)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(form))
        return _back(extension.assignment)
    agree, note = form.cleaned_data["agree"], form.cleaned_data["note"]
    try:
        if extension.state == ExtensionState.REQUESTED:
            actions.recommend_extension(actor=request.user, extension=extension, recommend=agree, note=note, at=clock.now())
        else:
            actions.decide_extension(actor=request.user, extension=extension, approve=agree, note=note, at=clock.now())
        messages.success(request, _("Recorded."))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(extension.assignment)


@login_required
def extension_list(request):
    from .models import Extension

    extensions = access.scope(request.user, Extension.objects.select_related("assignment__task", "assignment__agency"),
                              agency_field="assignment__agency")
    state = request.GET.get("state", "open")
    if state == "open":
        extensions = extensions.filter(state__in=[ExtensionState.REQUESTED, ExtensionState.RECOMMENDED,
                                                  ExtensionState.NOT_RECOMMENDED])
    return render(request, "programs/extension_list.html", {"extensions": extensions, "state": state})
