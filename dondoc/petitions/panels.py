"""Home panel: petitions open, overdue, answered this month — of what the user may see (one aggregate query
and the five most overdue, no working days counted)."""

from . import queries


def petitions(request, today):
    user = request.user
    if not getattr(user, "is_authenticated", False) or not queries.petitions_for(user).exists():
        return None
    clock = queries.Clock.as_of_date(today)
    return {"template": "petitions/panel.html", "order": 50, "counts": queries.panel_counts(user, today, clock),
            "overdue": list(queries.overdue(user, today, clock)[:5])}
