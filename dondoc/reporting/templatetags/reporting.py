from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dondoc.domain import reporting_cycle as rc
from dondoc.domain.formats import format_percent

register = template.Library()

CELL = {rc.ON_TIME: _("on time"), rc.LATE: _("late"), rc.MISSING: _("missing"), rc.RETURNED: _("returned"),
        rc.PENDING: _("not yet due")}
TASK = {"not_started": _("not started"), "in_progress": pgettext_lazy("task status", "in progress"), "done": _("done")}


@register.filter
def cell_label(state):
    return CELL.get(state, state)


@register.filter
def task_status_label(status):
    return TASK.get(status, status)


@register.filter
def pct(value):
    return format_percent(value, None)


@register.filter
def split(value):
    return value.split()


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)


@register.simple_tag
def status_options(statuses, current):
    """The <option>s of a task row's status select (40 rows a report: one tag a row, not a loop of nodes)."""
    return mark_safe("".join(  # every value and label is escaped here
        f'<option value="{escape(v)}"{" selected" if v == current else ""}>{escape(label)}</option>'
        for v, label in statuses))
