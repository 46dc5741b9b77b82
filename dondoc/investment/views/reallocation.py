"""Review of reallocation proposals (issue 7): the DPI prepares and adjusts, a leader approves, rejects or reverses;
the draft Tờ trình and its annex."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.core import clock, params
from dondoc.core.concurrency import StaleEdit, conflict_rows, parse_version
from dondoc.domain.formats import format_money

from .. import actions, documents, queries
from ..models import ProposedTransfer
from .common import date_or_none, millions

DOCUMENT_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@login_required
def proposal_list(request):
    if not access.can(request.user, "investment.view"):
        raise Http404
    can_propose = access.can(request.user, "investment.reallocate")
    if request.method == "POST":
        if not can_propose:
            raise PermissionDenied
        as_of = date_or_none(request.POST.get("as_of", ""))
        if as_of is None:
            messages.error(request, _("Give the date of the figures (dd/mm/yyyy)."))
            return redirect("investment:reallocation")
        proposal = actions.create_proposal(actor=request.user, as_of=as_of)
        return redirect("investment:proposal", pk=proposal.pk)
    visible = access.scope(request.user, ProposedTransfer.objects.all()).filter(proposal=OuterRef("pk")).order_by()
    count = visible.values("proposal").annotate(n=Count("pk")).values("n")
    proposals = queries.visible_proposals(request.user).annotate(
        transfer_count=Coalesce(Subquery(count), Value(0)))
    return render(request, "investment/reallocation_list.html", {
        "proposals": proposals, "can_propose": can_propose, "today": clock.today(),
        "partial": access.partial(request.user)})


def _decide(request, proposal) -> None:
    """Apply the POSTed review step; ValidationError for the user to read."""
    action = request.POST.get("action", "")
    if action in ("adjust", "remove"):
        try:
            transfer = proposal.transfers.get(pk=params.pk(request.POST, "transfer") or 0)
        except ProposedTransfer.DoesNotExist:
            raise Http404 from None
        amount = 0 if action == "remove" else millions(request.POST.get("amount", ""))
        if amount is None:
            raise ValidationError(_("A transfer is a whole number of million đồng, not negative."))
        actions.adjust_transfer(actor=request.user, transfer=transfer, amount=amount,
                                opened=parse_version(request.POST.get("opened")))
    elif action in ("approve", "reverse"):
        day = date_or_none(request.POST.get("decided_on", ""))
        if day is None:
            raise ValidationError(_("Give the date of the decision (dd/mm/yyyy)."))
        func = actions.approve if action == "approve" else actions.reverse
        func(actor=request.user, proposal=proposal, decision=request.POST.get("decision", ""), decided_on=day,
             at=clock.now())
    elif action == "reject":
        actions.reject(actor=request.user, proposal=proposal, note=request.POST.get("note", ""), at=clock.now())


@login_required
def proposal_detail(request, pk: int):
    proposal = queries.get_proposal_for(request.user, pk)
    if request.method == "POST":
        if request.POST.get("action", "") not in ("adjust", "remove", "approve", "reverse", "reject"):
            return redirect("investment:proposal", pk=proposal.pk)
        try:
            _decide(request, proposal)
        except StaleEdit as exc:  # another reviewer changed this transfer since the page was opened
            current = exc.obj
            yours = request.POST.get("amount", "") if request.POST.get("action") == "adjust" else "0"
            label = f"{current.donor.code} → {current.receiver.code}"
            rows = conflict_rows({"amount": label}, {"amount": format_money(current.amount)}, {"amount": yours})
            return _render(request, proposal, status=409, conflict={"by": exc.by, "at": exc.at, "rows": rows},
                           stale=(current.pk, yours))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
        return redirect("investment:proposal", pk=proposal.pk)
    partial = access.partial(request.user)  # an agency: only its own lines, no province-wide forecast
    kind = request.GET.get("format")
    if kind in DOCUMENT_TYPES:
        if partial:  # the Tờ trình and its annex carry every agency's projects: the province's documents
            raise Http404
        analysis = queries.analysis_of(proposal)
        data = (documents.to_trinh_docx(analysis, date=clock.today()) if kind == "docx"
                else documents.annex_xlsx(analysis))
        response = HttpResponse(data, content_type=DOCUMENT_TYPES[kind])
        name = "to-trinh" if kind == "docx" else "phu-luc"
        response["Content-Disposition"] = f'attachment; filename="{name}-dieu-chuyen-{proposal.pk}.{kind}"'
        return response
    return _render(request, proposal)


def _render(request, proposal, *, status: int = 200, conflict=None, stale: tuple[int, str] | None = None):
    """The proposal page; after a conflict, ``stale`` = (transfer, the amount the user typed, kept in its box)."""
    transfers = access.scope(request.user, proposal.transfers.select_related("donor__investor", "receiver__investor"))
    return render(request, "investment/reallocation_detail.html", {
        "proposal": proposal, "transfers": transfers, "total": sum(t.amount for t in transfers),
        "partial": access.partial(request.user),
        "can_adjust": access.can(request.user, "investment.reallocate") and proposal.state == "draft",
        "can_approve": access.can(request.user, "investment.approve"), "today": clock.today(),
        "conflict": conflict, "stale_pk": stale[0] if stale else None, "stale_amount": stale[1] if stale else ""},
        status=status)
