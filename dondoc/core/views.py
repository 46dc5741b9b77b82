from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from dondoc import access
from dondoc.accounts.models import Agency

from . import audit_log, clock


@login_required
def audit_list(request):
    if not access.can(request.user, "audit.view"):
        raise Http404
    f = {k: request.GET.get(k, "").strip() for k in ("kind", "agency", "actor", "since", "until", "q")}
    since, until = clock.optional_date(f["since"]), clock.optional_date(f["until"])
    events = audit_log.filtered(kind=f["kind"], agency=f["agency"], actor=f["actor"], q=f["q"], since=since,
                                until=until)
    page = audit_log.page(events.select_related("agency"), older=audit_log.Cursor.parse(request.GET.get("older")),
                          newer=audit_log.Cursor.parse(request.GET.get("newer")))
    count, more = audit_log.capped_count(events)
    context = {
        "page": page, "count": count, "more": more,
        "filters": f,
        "kinds": audit_log.kinds(),
        "agencies": Agency.objects.order_by("code").values_list("code", flat=True),
        "bad_dates": (f["since"] and not since) or (f["until"] and not until),
    }
    template = "core/audit.html#results" if request.htmx else "core/audit.html"
    return render(request, template, context)
