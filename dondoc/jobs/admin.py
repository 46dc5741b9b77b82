from django.contrib import admin

from dondoc.core.admin import ReadOnlyAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "file_name", "state", "dry_run", "worker_id"]
    list_filter = ["state", "kind"]
