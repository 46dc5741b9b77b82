"""The form on which an investor declares a project's additional need ("nhu cầu bổ sung vốn")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dondoc import access

from .. import actions, queries
from .common import millions


@login_required
def project_need(request, code: str):
    project = queries.get_project_for(request.user, code)
    if not access.can(request.user, "investment.commit", project):
        raise PermissionDenied
    if request.method == "POST":
        amount = millions(request.POST.get("need", ""))
        try:
            if amount is None:
                raise ValidationError(_("An additional need is a whole number of million đồng, not negative."))
            actions.declare_need(actor=request.user, project=project, amount=amount)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("investment:need", code=project.code)
        messages.success(request, _("Saved."))
        return redirect("investment:project", code=project.code)
    return render(request, "investment/reallocation_need.html", {"project": project})
