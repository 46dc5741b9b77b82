"""Uploads of plan and disbursement files, run as jobs (``investment/jobs.py``): check, preview, confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dondoc import access

from .. import jobs
from ..forms import UploadForm
from ..models import ImportJob


def _require_import(user) -> None:
    if not access.can(user, "investment.import"):
        raise Http404


@login_required
def import_upload(request):
    _require_import(request.user)
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = jobs.create_job(actor=request.user, kind=form.cleaned_data["kind"],
                                  uploaded=form.cleaned_data["file"], options=form.job_options())
            return redirect("investment:job", pk=job.pk)
    return render(request, "investment/import.html", {
        "form": form, "jobs": ImportJob.objects.select_related("created_by")[:20],
    })


@login_required
def import_job(request, pk: int):
    _require_import(request.user)
    job = get_object_or_404(ImportJob, pk=pk)
    context = {"job": job, "progress": jobs.progress_of(job), "status": jobs.describe(job),
               "result": job.result or {}}
    template = "investment/job.html#status" if request.htmx else "investment/job.html"
    return render(request, template, context)


@login_required
@require_POST
def import_confirm(request, pk: int):
    _require_import(request.user)
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        follow = jobs.confirm_job(actor=request.user, job=job)
    except ValueError:
        messages.error(request, _("Only a checked file without errors can be imported."))
        return redirect("investment:job", pk=job.pk)
    return redirect("investment:job", pk=follow.pk)
