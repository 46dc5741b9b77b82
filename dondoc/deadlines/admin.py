from django.contrib import admin

from dondoc.core.admin import AuditedAdmin

from .models import CalendarOverride, DossierType


@admin.register(DossierType)
class DossierTypeAdmin(AuditedAdmin):
    """Time-limit rules are data: editable here (audited); dossiers keep the rule they were received under."""

    list_display = ["code", "name", "days", "working", "start_event", "legal_basis", "agency"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ["date", "kind", "name", "reference", "entered_by"]
    readonly_fields = ["entered_by", "entered_at"]
