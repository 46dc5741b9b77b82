"""Emulation and criticism lists (issue 7), on the screen or as .xlsx."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from dondoc.core import clock

from .. import documents, queries
from .common import date_or_none, require_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def emulation_lists(request):
    require_view(request.user)
    as_of = date_or_none(request.GET.get("as_of", "")) or clock.today()
    lists = queries.emulation_lists(as_of=as_of, user=request.user)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(documents.emulation_xlsx(lists), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="thi-dua-{as_of:%Y%m%d}.xlsx"'
        return response
    return render(request, "investment/emulation.html", {"lists": lists, "as_of": as_of})
