from django.contrib import admin
from django.db import models, transaction
from django.forms.models import model_to_dict

from . import audit
from .models import AuditEvent, CalendarOverride


def _versioned(obj) -> bool:
    """The object carries the optimistic-lock version of its edit pages (``core.concurrency``)."""
    return any(f.name == "version" and isinstance(f, models.PositiveIntegerField) and not f.editable
               for f in obj._meta.concrete_fields)


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits are state changes too: each save and delete writes an AuditEvent in its transaction."""

    def _state(self, obj):
        return audit.jsonable(model_to_dict(obj)) if obj.pk else {}

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = self._state(type(obj).objects.get(pk=obj.pk)) if change else {}
            if change and form.has_changed() and _versioned(obj):
                obj.version += 1  # a page opened before this edit must not overwrite it (ADR 0014)
            super().save_model(request, obj, form, change)
            old, new = audit.diff(before, self._state(obj))
            audit.record(actor=request.user, kind=f"admin.{obj._meta.model_name}.{'change' if change else 'add'}",
                         target=obj, agency=getattr(obj, "agency", None), old=old or None, new=new)

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            before = self._state(form.instance)
            super().save_related(request, form, formsets, change)
            old, new = audit.diff(before, self._state(form.instance))
            if new:
                audit.record(actor=request.user, kind=f"admin.{form.instance._meta.model_name}.related",
                             target=form.instance, old=old, new=new)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(actor=request.user, kind=f"admin.{obj._meta.model_name}.delete", target=obj,
                         old=self._state(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records never edited in place (the audit log, imported data): corrections are new rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "recorded_at", "actor_name", "kind", "agency", "target_repr"]
    list_filter = ["kind"]
    search_fields = ["target_repr", "actor_name", "kind"]
    date_hierarchy = "at"


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ["date", "kind", "name", "reference", "entered_by"]
    readonly_fields = ["entered_by", "entered_at"]
