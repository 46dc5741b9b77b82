from django.contrib import admin

from dondoc.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import ImportBatch, Investor, PlanLine, Project, Rule, RuleSet


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin):
    """The disbursement rules of a year: loaded from the program, edited here (every save audited)."""

    list_display = ["year", "denominator", "program"]
    inlines = [RuleInline]


@admin.register(Investor)
class InvestorAdmin(AuditedAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name", "search_name"]


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["code", "name", "investor", "group", "district", "leader"]
    search_fields = ["code", "name"]
    list_filter = ["group"]
    raw_id_fields = ["investor"]




@admin.register(PlanLine)
class PlanLineAdmin(ReadOnlyAdmin):
    list_display = ["project", "source", "year", "origin_year", "assigner", "kind", "amount", "decision"]
    list_filter = ["year", "kind", "assigner", "source"]
    search_fields = ["project__code"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "file_name", "rows", "created", "unchanged", "total_amount"]
    list_filter = ["kind"]
