from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from dondoc import access
from dondoc.accounts.models import Agency

from . import clock
from .models import AuditEvent


@login_required
def audit_list(request):
    if not access.can(request.user, "audit.view"):
        raise Http404
    events = AuditEvent.objects.select_related("agency", "actor")
    f = {k: request.GET.get(k, "").strip() for k in ("kind", "agency", "actor", "since", "until", "q")}
    if f["kind"]:
        events = events.filter(kind=f["kind"])
    if f["agency"]:
        events = events.filter(agency__code=f["agency"].upper())
    if f["actor"]:
        events = events.filter(actor_name=f["actor"])
    if f["q"]:
        events = events.filter(target_repr__icontains=f["q"])
    since, until = clock.optional_date(f["since"]), clock.optional_date(f["until"])
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": f,
        "kinds": AuditEvent.objects.order_by("kind").values_list("kind", flat=True).distinct(),
        "agencies": Agency.objects.order_by("code").values_list("code", flat=True),
        "bad_dates": (f["since"] and not since) or (f["until"] and not until),
    }
    template = "core/audit.html#results" if request.htmx else "core/audit.html"
    return render(request, template, context)
