from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from dondoc.core.admin import AuditedAdmin

from . import registry
from .models import Agency, AgencyGroup, AgencyName, Membership, Organisation


class AgencyNameInline(admin.TabularInline):
    model = AgencyName
    extra = 0


class AgencyAdminForm(forms.ModelForm):
    """The admin edits aliases too: the same registry rule as the actions."""

    class Meta:
        model = Agency
        fields = "__all__"  # noqa: DJ007 - as Django admin's default form: every field the admin shows

    def clean(self):
        cleaned = super().clean()
        try:
            registry.check_aliases(code=cleaned.get("code") or self.instance.code, aliases=cleaned.get("aliases"))
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    form = AgencyAdminForm
    list_display = ["code", "name", "kind", "email", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "search_name"]
    inlines = [AgencyNameInline]


@admin.register(AgencyGroup)
class AgencyGroupAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    filter_horizontal = ["members"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "agency__code"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["issuing_body", "province_name", "valid_from"]


class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    def _state(self, obj):
        state = super()._state(obj)
        state.pop("password", None)  # never copy hashes into the audit log
        state.pop("last_login", None)
        return state


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), AuditedUserAdmin)
