from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only view of the outbox (rows are written by actions and send_outbox only)."""

    list_display = ["created_at", "channel", "recipient", "subject", "state", "attempts", "sent_at"]
    list_filter = ["channel", "state"]
    search_fields = ["recipient", "subject", "rule_key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
