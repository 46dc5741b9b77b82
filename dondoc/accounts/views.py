from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.core import audit, clock
from dondoc.domain.text import search_key, sort_key

from . import actions
from .forms import AgencyContactForm, OrganisationForm
from .models import Agency, AgencyKind, Organisation


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
    rows = list(agencies.prefetch_related("groups"))
    if request.GET.get("sort") == "name":
        rows.sort(key=lambda a: sort_key(a.name))
    today = clock.today()
    return render(request, "accounts/agency_list.html", {
        "agencies": rows, "q": q, "kind": kind, "kinds": AgencyKind.choices, "today": today,
        "sort": request.GET.get("sort", "code"),
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
    })


@login_required
def agency_edit(request, code):
    agency = access.get_agency_for(request.user, code)
    if not access.can(request.user, "agency.edit", agency):
        raise Http404
    form = AgencyContactForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_agency(actor=request.user, agency=agency, **form.changes())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("agencies:detail", code=agency.code)
    return render(request, "accounts/agency_edit.html", {"agency": agency, "form": form})


@login_required
def organisation(request):
    if not access.can(request.user, "organisation.edit"):
        raise Http404
    current = Organisation.on(clock.today()) or Organisation.objects.first()
    if current is None:
        raise Http404
    form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=current.pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_organisation(actor=request.user, organisation=current, **form.changes())
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
