"""Home panel: dossiers overdue or due this week, scoped to what the user may see — counts per agency in one
grouped query, the agencies with the most of them and the five most urgent dossiers."""

from . import queries


def dossiers(request, today):
    user = request.user
    if not getattr(user, "is_authenticated", False) or not queries.dossiers_for(user).exists():
        return None
    return {"template": "deadlines/panel.html", "order": 40, "attention": queries.attention(user, today)}
