from django.utils.translation import gettext_lazy as _

from dondoc.domain import petition_clock

CLOCK_LABELS = {
    petition_clock.OVERDUE: _("overdue"),
    petition_clock.DUE_SOON: _("due soon"),
    petition_clock.ON_TRACK: _("within the time limit"),
    petition_clock.ON_TIME: _("answered on time"),
    petition_clock.LATE: _("answered late"),
    petition_clock.ANSWERED: _("answered"),
    petition_clock.NO_DEADLINE: _("no deadline"),
}
