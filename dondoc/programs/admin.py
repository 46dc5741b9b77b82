from django.contrib import admin

from dondoc.core.admin import AuditedAdmin

from .models import ActionProgram


@admin.register(ActionProgram)
class ActionProgramAdmin(AuditedAdmin):
    """Program settings only (e.g. the reading of "before day X"); tasks change through new versions."""

    list_display = ["number", "issued_on", "before_reading"]
    fields = ["number", "doc_type", "title", "issuer", "place", "issued_on", "signer", "before_reading"]
    readonly_fields = ["number", "doc_type", "title", "issuer", "place", "issued_on", "signer"]

    def save_model(self, request, obj, form, change):
        from .actions import set_before_reading

        reading = obj.before_reading
        set_before_reading(actor=request.user, program=ActionProgram.objects.get(pk=obj.pk), reading=reading)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
