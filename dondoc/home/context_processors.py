from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dondoc import access
from dondoc.core import clock

# Sections of the product, in menu order. A section appears once its feature is installed (its URL exists).
SECTIONS = [
    ("programs:list", _("Programs")),
    ("tasks:list", _("Tasks")),
    ("reports:list", _("Reports")),
    ("investment:home", _("Investment")),
    ("deadlines:home", _("Deadlines")),
    ("petitions:list", _("Petitions")),
    ("agencies:list", _("Agencies")),
]


def _nav(user):
    items = []
    for name, label in SECTIONS:
        try:
            items.append({"url": reverse(name), "label": label, "name": name.split(":")[0]})
        except NoReverseMatch:
            continue
    if access.can(user, "audit.view"):
        items.append({"url": reverse("audit"), "label": _("Audit log"), "name": "audit"})
    if access.can(user, "ops.view"):
        items.append({"url": reverse("ops"), "label": _("Operations"), "name": "ops"})
        items.append({"url": reverse("jobs"), "label": _("Background jobs"), "name": "jobs"})
    return items


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"today": clock.today()}
    return {"today": clock.today(), "nav": _nav(user), "user_roles": access.role_labels(user)}
