"""Home panel: petitions open, overdue, answered this month — of what the user may see."""

from . import queries


def petitions(request, today):
    user = request.user
    if not getattr(user, "is_authenticated", False) or not queries.petitions_for(user).exists():
        return None
    counts = queries.panel_counts(user, today)
    return {"template": "petitions/panel.html", "order": 50, "counts": counts,
            "overdue": queries.overdue(user, today)[:5]}
