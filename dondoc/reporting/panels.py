from collections import Counter

from dondoc.core.calendar import get_calendar
from dondoc.domain import reporting_cycle as rc

from . import queries


def period(request, today):
    obligation = queries.default_obligation()
    if obligation is None or today < obligation.first_period:
        return None
    current = rc.period_start(obligation.every, today)
    cal = get_calendar()
    rows = queries.grid(request.user, obligation, [current], today, cal=cal)
    if not rows:
        return None
    return {
        "template": "reporting/panel.html", "order": 20, "obligation": obligation,
        "label": rc.label(obligation.every, current), "due": queries.due(obligation, current, cal),
        "counts": Counter(r.cells[0].state for r in rows), "rows": rows, "single": len(rows) == 1,
    }
