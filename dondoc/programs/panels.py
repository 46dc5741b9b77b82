from dondoc.domain import task_status

from . import queries


def tasks(request, today):
    rows = queries.task_rows(request.user, today)
    if not rows:
        return None
    return {
        "template": "programs/panel.html",
        "order": 10,
        "counts": queries.status_counts(rows),
        "overdue": queries.overdue_by_agency(request.user, today)[:10],
        "total": len(rows),
        "buckets": task_status.BUCKETS,
    }
