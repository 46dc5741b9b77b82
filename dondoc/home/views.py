"""The home page: counts of the registry and each feature's panel (``panels.PANELS``); the health check and
the operations page (``operations``)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dondoc import access
from dondoc.accounts.models import Agency, AgencyGroup, Organisation
from dondoc.core import clock
from dondoc.core.models import SweeperRun, WorkerHeartbeat
from dondoc.core.scheduler import installed_schedule

from . import operations, panels


@login_required
def home(request):
    today = clock.today()
    user = request.user
    counts = [
        {"label": "agencies", "value": Agency.objects.active_on(today).count()},
        {"label": "groups", "value": AgencyGroup.objects.count()},
        {"label": "accounts", "value": get_user_model().objects.filter(is_active=True).count()},
    ]
    my_agencies = access.scope(user, Agency.objects.all()) if not access.sees_all(user) else Agency.objects.none()
    return render(request, "home/home.html", {
        "counts": counts,
        "my_agencies": my_agencies,
        "organisation": Organisation.on(today),
        "month_start": today.replace(day=1),
        "panels": panels.collect(request, today),
    })


@never_cache
@require_GET
def healthz(request):
    """For the operator's monitor: 200 when database, worker and sweepers are all well, else 503 (operations.py
    says the rules). No login, nothing private: statuses, times and counts only."""
    report = operations.health(timezone.now())
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503,
                        json_dumps_params={"ensure_ascii": False})


@login_required
def operations_page(request):
    """The province administrator's view of the machinery: sweepers' runs, workers, the outbox."""
    if not access.can(request.user, "ops.view"):
        raise Http404
    now = timezone.now()
    sweepers = installed_schedule()
    last = operations.last_runs(s.name for s in sweepers)
    rows = [{"sweeper": s, "run": last.get(s.name), **operations.sweeper_health(s, now, last.get(s.name))}
            for s in sweepers]
    workers = WorkerHeartbeat.objects.filter(seen_at__gte=now - dt.timedelta(days=7)).order_by("-seen_at")[:20]
    return render(request, "home/operations.html", {
        "rows": rows,
        "workers": [{"beat": w, "alive": w.stopped_at is None and now - w.seen_at <= operations.WORKER_STALE}
                    for w in workers],
        "worker": operations.worker_health(now),
        "outbox": operations.outbox_backlog(),
        "failures": SweeperRun.objects.filter(status=SweeperRun.Status.FAILED)[:10],
    })
