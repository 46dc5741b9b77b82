"""Review of reallocation proposals (issue 7): the DPI prepares and adjusts, a leader approves, rejects or reverses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.core import clock
from dondoc.domain.vn_numbers import parse_number

from . import queries, reallocation
from .models import ProposedTransfer


def _date(value: str):
    try:
        return clock.parse_date(value.strip()) if value and value.strip() else None
    except ValueError:
        return None


def _millions(value: str) -> int | None:
    try:
        number = parse_number(value)
    except (ValueError, TypeError):
        return None
    return None if number is None else int(number * 1_000_000)


@login_required
def proposal_list(request):
    if not access.can(request.user, "investment.view"):
        raise Http404
    if request.method == "POST":
        if not reallocation.can_propose(request.user):
            raise PermissionDenied
        as_of = _date(request.POST.get("as_of", ""))
        if as_of is None:
            messages.error(request, _("Give the date of the figures (dd/mm/yyyy)."))
            return redirect("investment:reallocation")
        proposal = reallocation.create_proposal(actor=request.user, as_of=as_of)
        return redirect("investment:proposal", pk=proposal.pk)
    proposals = reallocation.visible_proposals(request.user).prefetch_related("transfers")
    return render(request, "investment/reallocation_list.html", {
        "proposals": proposals, "can_propose": reallocation.can_propose(request.user), "today": clock.today()})


@login_required
def proposal_detail(request, pk: int):
    proposal = reallocation.get_proposal_for(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("adjust", "remove"):
                try:
                    transfer = proposal.transfers.get(pk=int(request.POST.get("transfer", "0")))
                except (ValueError, ProposedTransfer.DoesNotExist):
                    raise Http404 from None
                amount = 0 if action == "remove" else _millions(request.POST.get("amount", ""))
                if amount is None:
                    raise ValidationError(_("A transfer is a whole number of million đồng, not negative."))
                reallocation.adjust_transfer(actor=request.user, transfer=transfer, amount=amount)
            elif action in ("approve", "reverse"):
                day = _date(request.POST.get("decided_on", ""))
                if day is None:
                    raise ValidationError(_("Give the date of the decision (dd/mm/yyyy)."))
                func = reallocation.approve if action == "approve" else reallocation.reverse
                func(actor=request.user, proposal=proposal, decision=request.POST.get("decision", ""), decided_on=day)
            elif action == "reject":
                reallocation.reject(actor=request.user, proposal=proposal, note=request.POST.get("note", ""))
            else:
                return redirect("investment:proposal", pk=proposal.pk)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
        return redirect("investment:proposal", pk=proposal.pk)
    kind = request.GET.get("format")
    if kind in ("docx", "xlsx"):
        from django.http import HttpResponse

        analysis = reallocation.analysis_of(proposal)
        data = reallocation.docx(analysis, date=clock.today()) if kind == "docx" else reallocation.xlsx(analysis)
        types = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        response = HttpResponse(data, content_type=types[kind])
        name = "to-trinh" if kind == "docx" else "phu-luc"
        response["Content-Disposition"] = f'attachment; filename="{name}-dieu-chuyen-{proposal.pk}.{kind}"'
        return response
    transfers = proposal.transfers.select_related("donor__investor", "receiver__investor")
    return render(request, "investment/reallocation_detail.html", {
        "proposal": proposal, "transfers": transfers, "total": sum(t.amount for t in transfers),
        "can_adjust": reallocation.can_propose(request.user) and proposal.state == "draft",
        "can_approve": reallocation.can_approve(request.user), "today": clock.today()})


@login_required
def emulation_lists(request):
    from django.http import HttpResponse

    from . import emulation

    if not access.can(request.user, "investment.view"):
        raise Http404
    as_of = _date(request.GET.get("as_of", "")) or clock.today()
    lists = emulation.build(as_of=as_of, user=request.user)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(emulation.xlsx(lists), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = f'attachment; filename="thi-dua-{as_of:%Y%m%d}.xlsx"'
        return response
    return render(request, "investment/emulation.html", {"lists": lists, "as_of": as_of})


@login_required
def project_need(request, code: str):
    project = queries.get_project_for(request.user, code)
    if not access.can(request.user, "investment.commit", project):
        raise PermissionDenied
    if request.method == "POST":
        amount = _millions(request.POST.get("need", ""))
        try:
            if amount is None:
                raise ValidationError(_("An additional need is a whole number of million đồng, not negative."))
            reallocation.declare_need(actor=request.user, project=project, amount=amount)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("investment:need", code=project.code)
        messages.success(request, _("Saved."))
        return redirect("investment:project", code=project.code)
    return render(request, "investment/reallocation_need.html", {"project": project})
