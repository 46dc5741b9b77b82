from dondoc.domain import task_status

from . import queries


def tasks(request, today):
    """Counts per status and the agencies with most overdue assignments: COUNT … GROUP BY queries only."""
    # Each task's rolled-up status only: the register's per-user column (my_status) is not shown here.
    counts = queries.status_counts(queries.scoped_tasks(request.user).annotate(status=queries.task_bucket_sql(today)))
    total = sum(n for _, n in counts)
    if not total:
        return None
    return {
        "template": "programs/panel.html",
        "order": 10,
        "counts": counts,
        "overdue": queries.overdue_by_agency(request.user, today, limit=10),
        "total": total,
        "buckets": task_status.BUCKETS,
    }
