from django.contrib import admin

from dondoc.core.admin import AuditedAdmin

from .models import ActionProgram


@admin.register(ActionProgram)
class ActionProgramAdmin(AuditedAdmin):
    """Program settings only (e.g. the reading of "before day X"); tasks change through new versions."""

    list_display = ["number", "issued_on", "before_reading"]
    fields = ["number", "doc_type", "title", "issuer", "place", "issued_on", "signer", "before_reading"]
    readonly_fields = ["number", "doc_type", "title", "issuer", "place", "issued_on", "signer"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
