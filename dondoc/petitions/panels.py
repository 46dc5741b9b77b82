"""Home panel: petitions open, overdue, answered this month — of what the user may see (counts in the database
and the five most overdue; no working days counted, so neither the calendar nor the categories are read)."""

from . import queries


def petitions(request, today):
    user = request.user
    if not getattr(user, "is_authenticated", False) or not queries.petitions_for(user).exists():
        return None
    clock = queries.Clock(today, {})  # overdue counts no working day: no calendar, no categories read
    overdue = queries.overdue(user, today, clock).select_related(None).select_related("lead_agency").only(
        "pk", "reference", "subject", "due_on", "lead_agency__code")
    return {"template": "petitions/panel.html", "order": 50, "counts": queries.panel_counts(user, today, clock),
            "overdue": list(overdue[:5])}
