"""Public investment: investors, projects, capital plan lines, committed schedules, disbursements, imports, rules.

Money is whole đồng (BigIntegerField). Plan lines and disbursements are never edited: a revised plan is a new line
(the latest line of a key effective on a date is the plan of that date), a correction is a new (negative) entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.accounts.models import Agency
from dondoc.domain.formats import format_date
from dondoc.domain.text import search_key


class Source(models.TextChoices):
    NSTW = "NSTW", "NSTW"
    NSDP = "NSDP", "NSĐP"
    ODA = "ODA", "ODA"
    CTMTQG = "CTMTQG", "CTMTQG"
    OTHER = "KHAC", _("other")


class Assigner(models.TextChoices):
    TTG = "ttg", _("Prime Minister (TTg)")
    TINH = "tinh", _("Provincial council / PPC")


class BudgetLevel(models.TextChoices):
    CENTRAL = "central", _("central budget")
    PROVINCE = "province", _("provincial budget")
    DISTRICT = "district", _("district budget")


def budget_level(source: str, agency) -> str:
    """The budget a capital line belongs to when the plan file does not say: central for central sources, else the
    level of the investor's agency (a district's own budget for a district PC's investors)."""
    if source in (Source.NSTW, Source.ODA, Source.CTMTQG):
        return BudgetLevel.CENTRAL
    return BudgetLevel.DISTRICT if agency is not None and agency.kind == "district" else BudgetLevel.PROVINCE


class Investor(models.Model):
    """A chủ đầu tư. Rolls up to the agency of the registry answerable for it (department, district, board)."""

    SCOPE_AGENCY_FIELD = "agency"

    name = models.CharField(_("name"), max_length=255)
    search_name = models.CharField(max_length=255, unique=True, editable=False)
    agency = models.ForeignKey(Agency, verbose_name=_("responsible agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="investors")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("investor")
        verbose_name_plural = _("investors")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.name)  # derived matching key, not business logic
        super().save(*args, **kwargs)


class Project(models.Model):
    SCOPE_AGENCY_FIELD = "investor__agency"

    code = models.CharField(_("project code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=500)
    investor = models.ForeignKey(Investor, verbose_name=_("investor"), on_delete=models.PROTECT,
                                 related_name="projects")
    group = models.CharField(_("group"), max_length=16, blank=True)  # A, B, C
    district = models.CharField(_("district"), max_length=100, blank=True)
    total_investment = models.BigIntegerField(_("total investment (đồng)"), null=True, blank=True)
    leader = models.CharField(_("responsible leader"), max_length=255, blank=True)
    additional_need = models.BigIntegerField(_("declared additional need (đồng)"), default=0)  # nhu cầu bổ sung vốn
    version = models.PositiveIntegerField(default=1, editable=False)  # bumped by schedule/need saves (optimistic lock)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ImportBatch(models.Model):
    """One imported file (plans or disbursements): what it stated and what it changed. Never edited once published.

    A disbursement file is written in short transactions while its batch is ``staging`` (its rows are invisible:
    ``Disbursement.objects`` excludes them), then published by a one-row update (ADR 0012). ``owner`` ("host:pid")
    and ``updated_at`` (bumped by every chunk) tell a live staging batch from one a killed process left."""

    class Kind(models.TextChoices):
        PLANS = "plans", _("capital plans")
        DISBURSEMENTS = "disbursements", _("disbursements")
        DEMO = "demo", _("demo data")

    class State(models.TextChoices):
        STAGING = "staging", _("being written")
        PUBLISHED = "published", _("published")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PUBLISHED)
    owner = models.CharField(max_length=128, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_hash = models.CharField(max_length=64, db_index=True)
    options = models.JSONField(default=dict, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    total_amount = models.BigIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [  # one file of a kind written at a time: a second would skip the first one's rows as known
            models.UniqueConstraint(fields=["kind"], condition=models.Q(state="staging"), name="importbatch_one_staging"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.file_name}"


class PlanLine(models.Model):
    """project × source × year (of the plan) × year of origin × assigner, original or revised.

    The plan of a key on a date is its latest line effective by then (``effective_on`` null: from the start).
    Capital extended from earlier years has ``origin_year < year``.
    """

    SCOPE_AGENCY_FIELD = "project__investor__agency"

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("original")
        REVISED = "revised", _("revised")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="plan_lines")
    source = models.CharField(_("funding source"), max_length=8, choices=Source.choices)
    budget_level = models.CharField(_("budget level"), max_length=10, choices=BudgetLevel.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("plan year"))
    origin_year = models.PositiveSmallIntegerField(_("year of origin"))
    assigner = models.CharField(_("assigned by"), max_length=8, choices=Assigner.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ORIGINAL)
    amount = models.BigIntegerField(_("amount (đồng)"))
    decision = models.CharField(_("decision"), max_length=255, blank=True)
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="plan_lines")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "year", "origin_year", "source", "assigner", "id"]
        verbose_name = _("capital plan line")
        verbose_name_plural = _("capital plan lines")
        indexes = [models.Index(fields=["year", "project"], name="planline_year_project")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="planline_amount_positive")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.source} {self.origin_year}/{self.year} {self.assigner} {self.kind}"

    @property
    def extended(self) -> bool:
        return self.origin_year < self.year

    @property
    def key(self) -> tuple:
        return (self.project_id, self.source, self.year, self.origin_year, self.assigner)


class Commitment(models.Model):
    """The investor's committed disbursement for one month of a project's year (all capital of the year)."""

    SCOPE_AGENCY_FIELD = "project__investor__agency"

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    committed_on = models.DateField(_("committed on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "year", "month"]
        verbose_name = _("committed schedule month")
        verbose_name_plural = _("committed schedule")
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="commitment_month"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="commitment_month_range"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.month:02d}/{self.year}"


class RowIdField(models.BigAutoField):
    """A BigAutoField without SQLite's AUTOINCREMENT: the id is the rowid (max + 1), which spares a bulk insert the
    sqlite_sequence bookkeeping. Disbursements are never deleted, so ids are not reused."""

    def db_type_suffix(self, connection):
        return None if connection.vendor == "sqlite" else super().db_type_suffix(connection)


class PublishedManager(models.Manager):
    """Disbursements of published batches only: the rows of a batch being written (``staging``) are invisible to
    every read until its one-row publish (ADR 0012). The subquery is over the few staging batches (usually none)."""

    def get_queryset(self):
        return super().get_queryset().exclude(
            batch_id__in=ImportBatch.objects.filter(state=ImportBatch.State.STAGING).values("pk"))


class Disbursement(models.Model):
    """A payment (or the difference a cumulative figure implies; negative: a correction). Written in bulk.

    Identity: project, date, amount and ``ref`` — the Treasury document number, or "#<file hash>:<row>".
    Sums are read from ``DisbursementMonth`` (whole months) plus the rows of the as-of month (indexes by project and
    by plan year, each with the date). The foreign keys have no database constraint: the
    importer takes project ids from the projects table inside its own transaction and projects are never
    deleted (PROTECT), and the per-row constraint checks would cost a third of a bulk insert (ADR 0005).
    """

    SCOPE_AGENCY_FIELD = "project__investor__agency"

    id = RowIdField(primary_key=True)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="disbursements", db_index=False,
                                db_constraint=False)
    paid_on = models.DateField(_("date"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    ref = models.CharField(_("Treasury document"), max_length=64)
    year = models.SmallIntegerField(_("plan year"))  # no CHECK constraints on the bulk-written table
    extended = models.BooleanField(_("extended capital"), default=False)
    source = models.CharField(_("funding source"), max_length=8, blank=True)
    cumulative = models.BooleanField(_("from a cumulative figure"), default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="disbursements", db_index=False,
                              db_constraint=False)
    row = models.IntegerField(_("row in the file"), default=0)

    all_objects = models.Manager()  # the importer's own bookkeeping: staged rows included
    objects = PublishedManager()  # the default manager: reads and related managers (project.disbursements)

    class Meta:
        default_manager_name = "objects"
        ordering = ["paid_on", "id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            # ref first: Treasury document numbers (and "#<hash>:<row>") arrive in order, so bulk inserts append.
            models.UniqueConstraint(fields=["ref", "project", "paid_on", "amount"], name="disbursement_identity"),
        ]
        indexes = [  # a project's payments and sums (its page, scoped figures); a plan year's days (the as-of month)
            models.Index(fields=["project", "paid_on"], name="disbursement_project_day"),
            models.Index(fields=["year", "paid_on"], name="disbursement_year_day"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.paid_on} {self.amount}"

    @property
    def treasury_ref(self) -> str:
        return "" if self.ref.startswith("#") else self.ref


class DisbursementMonth(models.Model):
    """The sum of the published disbursements of one project, plan year, capital kind, source and month paid
    (``month``: its first day). Derived: kept exact by the import's publish (``summary.add_batch``) and rebuilt by
    ``summary.rebuild`` (``dondoc investment summaries``); never edited by hand."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", db_constraint=False)
    year = models.SmallIntegerField(_("plan year"))
    extended = models.BooleanField(_("extended capital"), default=False)
    source = models.CharField(_("funding source"), max_length=8, blank=True)
    month = models.DateField(_("month"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    payments = models.IntegerField(default=0)

    class Meta:
        ordering = ["project", "year", "month", "extended", "source"]
        verbose_name = _("monthly disbursement sum")
        verbose_name_plural = _("monthly disbursement sums")
        constraints = [models.UniqueConstraint(fields=["project", "year", "month", "extended", "source"],
                                               name="disbursementmonth_key")]
        # Province and investor sums read a plan year's months from this index alone (covering: no table reads).
        indexes = [models.Index(fields=["year", "month", "project", "extended", "amount"],
                                name="disbursementmonth_year_cover")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year} {self.month:%m/%Y} {self.amount}"


class RuleSet(models.Model):
    """The disbursement rules of a year, loaded from the program's targets and editable (admin)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    denominator = models.CharField(_("denominator"), max_length=8, choices=Assigner.choices, default=Assigner.TINH)
    program = models.ForeignKey("programs.ActionProgram", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("disbursement rule set")
        verbose_name_plural = _("disbursement rule sets")

    def __str__(self) -> str:
        return str(self.year)


class Rule(models.Model):
    class Kind(models.TextChoices):
        MILESTONE = "milestone", _("milestone")
        CUT = "cut", _("cut threshold")

    class Capital(models.TextChoices):
        CURRENT = "current", _("the year's plan")
        EXTENDED = "extended", _("extended capital")

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    capital = models.CharField(_("capital"), max_length=10, choices=Capital.choices, default=Capital.CURRENT)
    op = models.CharField(_("comparison"), max_length=2, choices=[(">", ">"), (">=", "≥"), ("<", "<")])
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)
    due_on = models.DateField(_("date"))
    literal = models.TextField(_("words of the program"), blank=True)
    task = models.CharField(_("program item"), max_length=32, blank=True)

    class Meta:
        ordering = ["ruleset", "due_on", "kind"]
        verbose_name = _("disbursement rule")
        verbose_name_plural = _("disbursement rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.capital} {self.op}{self.percent}% {format_date(self.due_on)}"


class Proposal(models.Model):
    """A reallocation proposal (issue 7): computed as of a date, adjusted by the DPI, approved by a leader.

    Approval writes revised plan lines (never editing old ones); reversing is a further revision (``reversed_by``).
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        REVERSED = "reversed", _("reversed")

    year = models.PositiveSmallIntegerField(_("plan year"))
    as_of = models.DateField(_("as of"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    objective = models.BigIntegerField(_("expected disbursement by year end (đồng)"), default=0)
    unplaced = models.BigIntegerField(_("unplaced (đồng)"), default=0)
    decision = models.CharField(_("decision"), max_length=255, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    reversal_decision = models.CharField(_("reversal decision"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reallocation proposal")
        verbose_name_plural = _("reallocation proposals")

    def __str__(self) -> str:
        return f"#{self.pk} {format_date(self.as_of)} ({self.state})"


class ProposedTransfer(models.Model):
    """One transfer of a proposal: capital of one key (source, budget level, year of origin) from a donor project
    to a receiver project. ``amount`` is what the DPI keeps (0 = removed); ``proposed`` what the solver said."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transfers")
    donor = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("funding source"), max_length=8, choices=Source.choices)
    budget_level = models.CharField(_("budget level"), max_length=10, choices=BudgetLevel.choices, blank=True)
    origin_year = models.PositiveSmallIntegerField(_("year of origin"))
    proposed = models.BigIntegerField(_("proposed (đồng)"))
    amount = models.BigIntegerField(_("amount (đồng)"))
    donor_limit = models.BigIntegerField(default=0)  # what the donor's line may give (forecast unused)
    receiver_limit = models.BigIntegerField(default=0)  # what the receiver may take (need, remaining investment)
    why = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["proposal", "source", "budget_level", "origin_year", "donor__code", "receiver__code", "id"]
        verbose_name = _("proposed transfer")
        verbose_name_plural = _("proposed transfers")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="transfer_amount_positive")]

    def __str__(self) -> str:
        return f"{self.donor_id} → {self.receiver_id} {self.amount}"
