"""`/jobs/`: every background job of every kind, for the province administrator (state, who, when, file, duration,
error), failed ones first to the eye; a warning when no worker ever ran. The workers' heartbeats are on /ops/."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from dondoc import access
from dondoc.core.models import WorkerHeartbeat

from . import runner
from .models import Job


@login_required
def job_list(request):
    if not access.can(request.user, "ops.view"):
        raise Http404
    state = request.GET.get("state", "")
    jobs = Job.objects.select_related("created_by")
    if state in Job.State.values:
        jobs = jobs.filter(state=state)
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {
        "page": page, "state": state, "states": Job.State.choices,
        "kinds": {k: runner.label(k) for k in runner.KINDS},
        "failed": Job.objects.filter(state=Job.State.FAILED).count(),
        "workers": WorkerHeartbeat.objects.exists(),
    })
