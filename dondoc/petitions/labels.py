from django.utils.translation import gettext_lazy as _

from . import clock

CLOCK_LABELS = {
    clock.OVERDUE: _("overdue"),
    clock.DUE_SOON: _("due soon"),
    clock.ON_TRACK: _("within the time limit"),
    clock.ON_TIME: _("answered on time"),
    clock.LATE: _("answered late"),
    clock.ANSWERED: _("answered"),
    clock.NO_DEADLINE: _("no deadline"),
}
