from django.contrib import admin

from dondoc.core.admin import AuditedAdmin

from .models import Indicator, Obligation, ReminderTemplate


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Obligation)
class ObligationAdmin(AuditedAdmin):
    list_display = ["program", "every", "due_day", "reading", "roll", "to_agency", "first_period", "lock_after_days"]
    filter_horizontal = ["reporters"]
    inlines = [IndicatorInline]


@admin.register(ReminderTemplate)
class ReminderTemplateAdmin(AuditedAdmin):
    list_display = ["kind", "subject"]
