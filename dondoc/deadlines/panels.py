"""Home panel: dossiers overdue or due this week, by agency, scoped to what the user may see."""

from . import queries


def dossiers(request, today):
    user = request.user
    if not getattr(user, "is_authenticated", False) or not queries.dossiers_for(user).exists():
        return None
    return {"template": "deadlines/panel.html", "order": 40, "groups": queries.attention(user, today)}
