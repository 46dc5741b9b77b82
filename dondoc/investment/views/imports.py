"""Uploads of plan and disbursement files, run as background jobs (``investment/jobs.py``): check, preview, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc import access
from dondoc.core import clock
from dondoc.jobs import actions as job_actions
from dondoc.jobs.models import Job

from .. import jobs
from ..forms import UploadForm


def _require_import(user) -> None:
    if not access.can(user, "investment.import"):
        raise Http404


def _job(pk: int) -> Job:
    return get_object_or_404(Job, pk=pk, kind__in=jobs.KINDS)


@login_required
def import_upload(request):
    _require_import(request.user)
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = job_actions.create_job(actor=request.user, kind=f"investment.{form.cleaned_data['kind']}",
                                         uploaded=form.cleaned_data["file"], options=form.job_options(clock.today()),
                                         folder="investment/imports", at=clock.now())
            return redirect("investment:job", pk=job.pk)
    return render(request, "investment/import.html", {
        "form": form, "jobs": Job.objects.filter(kind__in=jobs.KINDS).select_related("created_by")[:20],
    })


@login_required
def import_job(request, pk: int):
    _require_import(request.user)
    job = _job(pk)
    context = {"job": job, "status": jobs.describe(job), "result": job.result or {},
               "plans": job.kind == "investment.plans"}
    template = "investment/job.html#status" if request.htmx else "investment/job.html"
    return render(request, template, context)


@login_required
@require_POST
def import_confirm(request, pk: int):
    _require_import(request.user)
    job = _job(pk)
    try:
        follow = job_actions.confirm_job(actor=request.user, job=job, at=clock.now())
    except ValueError:
        messages.error(request, _("Only a checked file without errors can be imported."))
        return redirect("investment:job", pk=job.pk)
    return redirect("investment:job", pk=follow.pk)
