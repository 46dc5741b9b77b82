from django.utils.translation import gettext_lazy as _

from dondoc.domain import sla

STATE_LABELS = {
    sla.OVERDUE: _("overdue"),
    sla.DUE_SOON: _("due soon"),
    sla.OPEN: _("in progress"),
    sla.PAUSED: _("paused (awaiting supplements)"),
    sla.ON_TIME: _("completed on time"),
    sla.LATE: _("completed late"),
}
