from django.contrib import admin

from dondoc.core.admin import AuditedAdmin

from .models import DossierType


@admin.register(DossierType)
class DossierTypeAdmin(AuditedAdmin):
    """Time-limit rules are data: editable here (audited); dossiers keep the rule they were received under."""

    list_display = ["code", "name", "days", "working", "start_event", "legal_basis", "agency"]

