from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc import access
from dondoc.core import audit, clock
from dondoc.core.concurrency import StaleEdit, conflict_rows
from dondoc.domain.text import search_key

from . import actions
from .forms import AgencyContactForm, AliasProposalForm, OrganisationForm
from .models import Agency, AgencyKind, AliasProposal, Organisation

PAGE = 50


@login_required
def agency_list(request):
    agencies = access.scope(request.user, Agency.objects.select_related("parent"))
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if q:
        key = search_key(q)
        agencies = agencies.filter(search_name__contains=key) | agencies.filter(code__iexact=q)
    if kind:
        agencies = agencies.filter(kind=kind)
    order = ("sort_name", "code") if request.GET.get("sort") == "name" else ("code",)
    page = Paginator(agencies.prefetch_related("groups").order_by(*order), PAGE).get_page(request.GET.get("page"))
    today = clock.today()
    return render(request, "accounts/agency_list.html", {
        "agencies": page, "page": page, "q": q, "kind": kind, "kinds": AgencyKind.choices, "today": today,
        "sort": request.GET.get("sort", "code"),
        "pending_aliases": (AliasProposal.objects.filter(state=AliasProposal.State.PENDING).count()
                            if access.can(request.user, "alias.decide") else None),
    })


@login_required
def agency_detail(request, code):
    agency = access.get_agency_for(request.user, code)
    memberships = agency.memberships.select_related("user").order_by("role", "user__username")
    return render(request, "accounts/agency_detail.html", {
        "agency": agency,
        "memberships": memberships,
        "former_names": agency.former_names.all(),
        "predecessors": agency.predecessors.all(),
        "groups": agency.groups.all(),
        "can_edit": access.can(request.user, "agency.edit", agency),
        "can_propose": access.can(request.user, "alias.propose", agency),
        "can_decide": access.can(request.user, "alias.decide", agency),
        "proposals": agency.alias_proposals.select_related("proposed_by", "decided_by")[:20],
        "proposal_form": AliasProposalForm(),
    })


def _add_errors(form, exc: ValidationError) -> None:
    """An action's ValidationError on the form; errors on ``aliases`` go under the aliases box."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for field, texts in errors.items():
        target = field if field in form.fields else ("aliases_text" if field == "aliases" else None)
        form.add_error(target if target in form.fields else None, texts)


@login_required
@require_POST
def alias_propose(request, code):
    agency = access.get_agency_for(request.user, code)
    if not access.can(request.user, "alias.propose", agency):
        raise Http404
    form = AliasProposalForm(request.POST)
    if form.is_valid():
        try:
            actions.propose_alias(actor=request.user, agency=agency, alias=form.cleaned_data["alias"],
                                  at=clock.now())
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Proposal sent to the province administrator."))
    else:
        messages.error(request, _("Write the alias to propose."))
    return redirect("agencies:detail", code=agency.code)


@login_required
def alias_proposals(request):
    if not access.can(request.user, "alias.decide"):
        raise Http404
    proposals = AliasProposal.objects.select_related("agency", "proposed_by", "decided_by")
    return render(request, "accounts/alias_proposals.html", {
        "pending": Paginator(proposals.filter(state=AliasProposal.State.PENDING).order_by("-proposed_at", "-id"), PAGE)
        .get_page(request.GET.get("page")),
        "decided": proposals.exclude(state=AliasProposal.State.PENDING)[:50],
    })


@login_required
@require_POST
def alias_decide(request, pk):
    proposal = get_object_or_404(AliasProposal.objects.select_related("agency"), pk=pk)
    if not access.can(request.user, "alias.decide", proposal.agency):
        raise Http404
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        return HttpResponseBadRequest(_("Choose approve or reject."))
    try:
        actions.decide_alias(actor=request.user, proposal=proposal, approve=decision == "approve",
                             note=request.POST.get("note", "")[:255], at=clock.now())
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Alias approved.") if decision == "approve" else _("Proposal rejected."))
    if request.POST.get("next") == "list":
        return redirect("agencies:alias_proposals")
    return redirect("agencies:detail", code=proposal.agency.code)


@login_required
def agency_edit(request, code):
    agency = access.get_agency_for(request.user, code)
    if not access.can(request.user, "agency.edit", agency):
        raise Http404
    form = AgencyContactForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk),
                             edit_aliases=access.can(request.user, "alias.edit", agency))
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            actions.update_agency(actor=request.user, agency=agency, version=form.opened_version(), **changes)
        except StaleEdit as exc:  # someone saved this agency since the page was opened
            current = Agency.objects.get(pk=agency.pk)
            form.reopen_at(current.version)
            return render(request, "accounts/agency_edit.html", {"agency": current, "form": form, "conflict": {
                "by": exc.by, "at": exc.at, "rows": _conflict_rows(form, current, changes)}}, status=409)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("agencies:detail", code=agency.code)
    return render(request, "accounts/agency_edit.html", {"agency": agency, "form": form})


def _conflict_rows(form, current, changes: dict):
    """Saved value against the user's, field by field, labelled as on the form (lists one item a line)."""
    fields = {"aliases": "aliases_text", "default_recipients": "recipients_text"}
    labels = {k: str(form.fields[fields.get(k, k)].label) for k in changes}
    return conflict_rows(labels, {k: getattr(current, k) for k in changes}, changes)


@login_required
def organisation(request):
    if not access.can(request.user, "organisation.edit"):
        raise Http404
    current = Organisation.on(clock.today()) or Organisation.objects.first()
    if current is None:
        raise Http404
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=current.pk))
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            actions.save_organisation(actor=request.user, organisation=current, version=form.opened_version(),
                                      **changes)
        except StaleEdit as exc:  # another administrator saved the settings since the page was opened
            current = Organisation.objects.get(pk=current.pk)
            form.reopen_at(current.version)
            return render(request, "accounts/organisation.html", {
                "form": form, "organisation": current, "history": Organisation.objects.all(),
                "conflict": {"by": exc.by, "at": exc.at, "rows": _conflict_rows(form, current, changes)}},
                status=409)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("organisation")
    return render(request, "accounts/organisation.html", {"form": form, "organisation": current,
                                                           "history": Organisation.objects.all()})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view, with the change audited in the same transaction."""

    @transaction.atomic
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(actor=self.request.user, kind="user.password_change", target=self.request.user)
        return response
