"""The home page: counts of the registry and each feature's panel (``panels.PANELS``)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dondoc import access
from dondoc.accounts.models import Agency, AgencyGroup, Organisation
from dondoc.core import clock

from . import panels


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
