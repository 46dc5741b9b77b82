"""The form on which an investor declares a project's additional need ("nhu cầu bổ sung vốn")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.core.concurrency import StaleEdit, conflict_rows, parse_version
from dondoc.domain.formats import format_money

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
            actions.declare_need(actor=request.user, project=project, amount=amount,
                                 version=parse_version(request.POST.get("version")))
        except StaleEdit as exc:
            current = queries.get_project_for(request.user, code)
            label = _("Additional need (million đồng)")
            rows = conflict_rows({"need": label}, {"need": format_money(current.additional_need)},
                                 {"need": request.POST.get("need", "")})
            return render(request, "investment/reallocation_need.html", {
                "project": current, "need": request.POST.get("need", ""), "version": current.version,
                "conflict": {"by": exc.by, "at": exc.at, "rows": rows}}, status=409)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("investment:need", code=project.code)
        messages.success(request, _("Saved."))
        return redirect("investment:project", code=project.code)
    return render(request, "investment/reallocation_need.html", {"project": project, "version": project.version,
                                                                 "need": format_money(project.additional_need)})
