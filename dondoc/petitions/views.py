from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.core import clock as core_clock
from dondoc.core.concurrency import StaleEdit, conflict_rows
from dondoc.core.models import AuditEvent

from . import actions, permissions, queries
from .forms import (
    AnswerForm,
    AttachmentForm,
    CategoryForm,
    DateForm,
    DecisionForm,
    EscalateForm,
    IntakeForm,
    MergeForm,
    RouteForm,
    UpdateForm,
)
from .labels import CLOCK_LABELS
from .models import OPEN, Channel, Petition, PetitionCategory, State, Update

VIEWS = ("open", "overdue", "due_soon", "all")


def _read(upload) -> bytes:
    """The uploaded bytes, refusing an oversized file before reading it into memory."""
    if upload.size > actions.MAX_ATTACHMENT:
        raise ValidationError(_("The file is larger than 10 MB."))
    return upload.read()


def _errors(form) -> str:
    return "; ".join(f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}".lstrip(": ")
                     for k, v in form.errors.items())


@login_required
def petition_list(request):
    today = core_clock.today()
    user = request.user
    f = {k: request.GET.get(k, "").strip() for k in ("view", "state", "category", "agency", "channel", "q")}
    view = f["view"] if f["view"] in VIEWS else "open"
    petitions = queries.petitions_for(user)
    if f["state"]:
        petitions = petitions.filter(state=f["state"])
    if f["category"]:
        petitions = petitions.filter(category__code=f["category"])
    if f["agency"]:
        petitions = petitions.filter(lead_agency__code=f["agency"].upper())
    if f["channel"]:
        petitions = petitions.filter(channel=f["channel"])
    if f["q"]:
        petitions = queries.search(petitions, f["q"])
    clock = queries.Clock.as_of_date(today)
    if view in ("overdue", "due_soon"):
        listed = queries.waiting_in(petitions, today, view, clock=clock)
    else:
        listed = petitions.filter(state__in=OPEN) if view == "open" and not f["state"] else petitions
        listed = listed.order_by("-received_on", "-id")
    page = Paginator(listed.annotate(clock_state=clock.state()), 50).get_page(request.GET.get("page"))
    page.object_list = [queries.Row(p, p.clock_state) for p in page.object_list]
    if access.sees_all(user):  # one index probe per agency, not a join over every petition
        agencies = Agency.objects.filter(Exists(Petition.objects.filter(lead_agency=OuterRef("pk"))))
    else:  # the lead agencies of the petitions an agency handles (a few ids), not a probe of every agency's petitions
        leads = set(queries.petitions_for(user).order_by().values_list("lead_agency", flat=True).distinct())
        agencies = Agency.objects.filter(pk__in=leads - {None})
    agencies = agencies.order_by("code")
    return render(request, "petitions/list.html", {
        "filters": f, "view": view, "today": today,
        "page": page, "counts": queries.counts(petitions, today, clock),
        "states": State.choices, "categories": PetitionCategory.objects.all(), "channels": Channel.choices,
        "agencies": agencies, "can_intake": access.can(user, "petition.intake"),
    })


@login_required
def petition_new(request):
    if not access.can(request.user, "petition.intake"):
        raise Http404
    form = IntakeForm(request.POST or None, request.FILES or None, initial={"received_on": core_clock.today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("attachment")
        try:
            with transaction.atomic():
                petition = actions.intake(actor=request.user, **data, at=core_clock.now())
                if upload:
                    actions.add_attachment(actor=request.user, petition=petition, name=upload.name,
                                           data=_read(upload))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Petition %(ref)s registered.") % {"ref": petition.reference})
            return redirect("petitions:detail", pk=petition.pk)
    similar = queries.duplicates(f"{form.data.get('subject', '')} {form.data.get('text', '')}") if form.is_bound else []
    return render(request, "petitions/new.html", {"form": form, "similar": similar})


@login_required
@require_POST
def similar(request):
    """htmx: open petitions like the text being entered (the DPI, at intake)."""
    if not access.can(request.user, "petition.intake"):
        raise Http404
    text = f"{request.POST.get('subject', '')} {request.POST.get('text', '')}"
    return render(request, "petitions/_similar.html", {"similar": queries.duplicates(text)})


def _history(petition: Petition):
    return AuditEvent.objects.filter(target_type="petitions.petition", target_id=str(petition.pk)).exclude(
        kind="petition.view_personal").order_by("at", "id")


@login_required
def petition_detail(request, pk):
    petition = queries.get_petition_for(request.user, pk)
    user, today = request.user, core_clock.today()
    can = {a: access.can(user, f"petition.{a}", petition) for a in (
        "view_personal", "route", "merge", "escalate", "decide_escalation", "progress", "contribute", "attach",
        "answer", "publish", "close", "note")}
    is_lead = permissions.is_lead(user, petition)
    update_kind = (Update.Kind.PROGRESS if can["progress"] and (is_lead or not permissions.is_coordinator(user, petition))
                   else Update.Kind.CONTRIBUTION if can["contribute"] else None)
    status = queries.status(petition, today)
    routings = list(petition.routings.select_related("lead_agency", "by"))
    initial_route = {"on": today}
    if petition.lead_agency_id:
        initial_route.update(lead=petition.lead_agency, coordinators=list(petition.coordinators.all()))
    return render(request, "petitions/detail.html", {
        "petition": petition, "status": status, "status_label": CLOCK_LABELS[status.state], "can": can,
        "update_kind": update_kind, "today": today,
        "coordinators": petition.coordinators.order_by("code"),
        "routings": routings,
        "updates": petition.updates.select_related("agency", "author"),
        "attachments": petition.attachments.select_related("agency") if can["view_personal"] else [],
        "merged": petition.merged.all(),
        "duplicates": queries.duplicates(f"{petition.subject} {petition.text}", exclude=petition)
        if can["merge"] else [],
        "history": _history(petition),
        "route_form": RouteForm(initial=initial_route, auto_id="route_%s") if can["route"] else None,
        "update_form": UpdateForm(initial={"on": today}, auto_id="update_%s"),
        "note_form": UpdateForm(initial={"on": today}, auto_id="note_%s"),
        "answer_form": AnswerForm(initial={"on": today}, auto_id="answer_%s"),
        "publish_form": DateForm(initial={"on": today}, auto_id="publish_%s"),
        "close_form": DateForm(initial={"on": today}, auto_id="close_%s"),
        "escalate_form": EscalateForm(auto_id="escalate_%s"), "decision_form": DecisionForm(auto_id="decision_%s"),
        "merge_form": MergeForm(auto_id="merge_%s"), "attachment_form": AttachmentForm(auto_id="attach_%s"),
        "public_url": request.build_absolute_uri(f"/p/{petition.tracking_code}/"),
    })


@login_required
@require_GET
def petition_contact(request, pk):
    """The petitioner's personal data, for those handling the petition; every view is logged."""
    petition = queries.get_petition_for(request.user, pk)
    if not access.can(request.user, "petition.view_personal", petition):
        raise Http404
    actions.record_personal_view(actor=request.user, petition=petition, what="contact")
    template = "petitions/_contact.html" if request.htmx else "petitions/contact.html"
    response = render(request, template, {"petition": petition})
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = queries.get_attachment_for(request.user, pk)
    actions.record_personal_view(actor=request.user, petition=attachment.petition,
                                 what=f"attachment {attachment.pk}: {attachment.name}")
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "no-store"
    return response


def _act(request, pk, form_class, run, success: str):
    """Shared POST handling: fetch (404 for outsiders), validate, run the action, message, back to the detail."""
    petition = queries.get_petition_for(request.user, pk)
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, _errors(form))
        return redirect("petitions:detail", pk=petition.pk)
    try:
        run(petition, form.cleaned_data if form is not None else {})
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("petitions:detail", pk=petition.pk)


@login_required
@require_POST
def petition_route(request, pk):
    def run(p, d):
        actions.route(actor=request.user, petition=p, lead=d["lead"], coordinators=list(d["coordinators"]),
                      on=d["on"], days=d["days"], reason=d["reason"], at=core_clock.now())
    return _act(request, pk, RouteForm, run, _("Routing recorded."))


@login_required
@require_POST
def petition_update(request, pk):
    kind = request.POST.get("kind", "")

    def run(p, d):
        actions.post_update(actor=request.user, petition=p, text=d["text"], on=d["on"], kind=kind or None, at=core_clock.now())
    return _act(request, pk, UpdateForm, run, _("Recorded."))


@login_required
@require_POST
def petition_answer(request, pk):
    def run(p, d):
        actions.answer(actor=request.user, petition=p, text=d["text"], on=d["on"], at=core_clock.now())
    return _act(request, pk, AnswerForm, run, _("Answer recorded."))


@login_required
@require_POST
def petition_publish(request, pk):
    def run(p, d):
        actions.publish(actor=request.user, petition=p, on=d["on"], at=core_clock.now())
    return _act(request, pk, DateForm, run, _("The answer is published on the public status page."))


@login_required
@require_POST
def petition_close(request, pk):
    def run(p, d):
        actions.close(actor=request.user, petition=p, on=d["on"], note=d["note"], at=core_clock.now())
    return _act(request, pk, DateForm, run, _("Petition closed."))


@login_required
@require_POST
def petition_escalate(request, pk):
    def run(p, d):
        actions.propose_escalation(actor=request.user, petition=p, reason=d["reason"], at=core_clock.now())
    return _act(request, pk, EscalateForm, run, _("Escalation proposed to the leaders."))


@login_required
@require_POST
def petition_decide(request, pk):
    def run(p, d):
        actions.decide_escalation(actor=request.user, petition=p, approve=d["agree"], note=d["note"], at=core_clock.now())
    return _act(request, pk, DecisionForm, run, _("Decision recorded."))


@login_required
@require_POST
def petition_merge(request, pk):
    def run(p, d):
        into = queries.petitions_for(request.user).filter(reference=d["into"].strip().upper()).first()
        if into is None:
            raise ValidationError(_("No petition numbered %(ref)s.") % {"ref": d["into"]})
        actions.merge(actor=request.user, duplicate=p, into=into, reason=d["reason"], at=core_clock.now())
    return _act(request, pk, MergeForm, run, _("Petitions merged."))


@login_required
@require_POST
def petition_attach(request, pk):
    def run(p, d):
        upload = d["file"]
        actions.add_attachment(actor=request.user, petition=p, name=upload.name, data=_read(upload))
    return _act(request, pk, AttachmentForm, run, _("File attached."))


@login_required
def categories(request):
    if not access.can(request.user, "petition.manage_categories"):
        raise Http404
    if request.method == "POST":
        category = PetitionCategory.objects.filter(code=request.POST.get("code", "")).first()
        if category is None:
            raise Http404
        form = CategoryForm(request.POST, instance=PetitionCategory.objects.get(pk=category.pk))
        if form.is_valid():
            changes = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                actions.update_category(actor=request.user, category=category, version=form.opened_version(),
                                        **changes)
            except StaleEdit as exc:  # another administrator saved this category since the page was opened
                current = PetitionCategory.objects.get(pk=category.pk)
                labels = {k: f"{current.name} — {form.fields[k].label}" for k in changes}
                rows = conflict_rows(labels, {k: getattr(current, k) for k in changes}, changes)
                form.reopen_at(current.version)
                return render(request, "petitions/categories.html", {
                    "rows": [(c, form if c.pk == current.pk else CategoryForm(instance=c))
                             for c in PetitionCategory.objects.all()],
                    "conflict": {"by": exc.by, "at": exc.at, "rows": rows}}, status=409)
            messages.success(request, _("Saved."))
        else:
            messages.error(request, _errors(form))
        return redirect("petitions:categories")
    return render(request, "petitions/categories.html", {
        "rows": [(c, CategoryForm(instance=c)) for c in PetitionCategory.objects.all()],
    })


def public_status(request, code):
    """The petitioner's status page, without login: status, responsible agency, deadline, published answer."""
    petition = queries.get_public(code)
    shown = petition.merged_into if petition.state == State.MERGED and petition.merged_into else petition
    answer_public = shown.state in (State.PUBLISHED, State.CLOSED)
    response = render(request, "petitions/public.html", {
        "petition": petition, "shown": shown, "merged": shown is not petition,
        "state_label": State(shown.state).label, "agency": shown.responsible_agency,
        "answer_public": answer_public, "today": core_clock.today(),
    })
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response

