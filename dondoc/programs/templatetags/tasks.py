from django import template
from django.utils.translation import gettext_lazy as _

from dondoc.domain import task_status

register = template.Library()

LABELS = {
    task_status.DONE_ON_TIME: _("done on time"),
    task_status.DONE_LATE: _("done late"),
    task_status.OPEN: _("open, within deadline"),
    task_status.OVERDUE: _("overdue"),
    task_status.REGULAR: _("regular (no deadline)"),
}


@register.filter
def status_label(bucket):
    return LABELS.get(bucket, bucket or "")


@register.filter
def labels(values):
    """Agency labels of a task as written: codes, @groups or outside bodies' names."""
    return ", ".join(values or [])
