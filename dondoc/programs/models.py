from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dondoc.accounts.models import Agency
from dondoc.domain.formats import format_date


class BeforeReading(models.TextChoices):
    """How "trước ngày X" (before X) is read; DOMAIN.md §3. Either way a day off rolls forward."""

    DAY_BEFORE = "day_before", _("the day before X is the last acceptable day")
    SAME_DAY = "same_day", _("X itself is still acceptable")


class ActionProgram(models.Model):
    number = models.CharField(_("number"), max_length=64)
    doc_type = models.CharField(_("type"), max_length=16, blank=True)
    title = models.TextField(_("title"))
    issuer = models.CharField(_("issuer"), max_length=255, blank=True)
    issuer_agency = models.ForeignKey(
        Agency, verbose_name=_("issuing agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    signer = models.CharField(_("signer"), max_length=255, blank=True)
    before_reading = models.CharField(
        _("reading of \"before day X\""), max_length=16, choices=BeforeReading.choices, default=BeforeReading.DAY_BEFORE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("action program")
        verbose_name_plural = _("action programs")
        constraints = [models.UniqueConstraint(fields=["number", "issued_on"], name="program_number_date")]

    def __str__(self) -> str:
        return f"{self.number}"

    @property
    def current_version(self):
        return self.versions.order_by("-number").first()


class ProgramVersion(models.Model):
    """One loaded text of the program. Amendments add versions; old versions stay readable."""

    program = models.ForeignKey(ActionProgram, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content_hash = models.CharField(max_length=64)
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    parsed = models.JSONField(_("extracted content"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "-number"]
        verbose_name = _("program version")
        verbose_name_plural = _("program versions")
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="version_number"),
            models.UniqueConstraint(fields=["program", "content_hash"], name="version_content"),
        ]

    def __str__(self) -> str:
        return f"{self.program.number} v{self.number}"


class Task(models.Model):
    SCOPE_AGENCY_FIELD = "assignments__agency"

    version = models.ForeignKey(ProgramVersion, on_delete=models.PROTECT, related_name="tasks")
    position = models.PositiveIntegerField()
    part = models.CharField(_("part"), max_length=16, blank=True)
    section = models.CharField(_("section"), max_length=32, blank=True)
    item = models.CharField(_("item"), max_length=16, blank=True)
    text = models.TextField(_("text"))
    lead_labels = models.JSONField(_("lead"), default=list)
    partner_labels = models.JSONField(_("coordinating"), default=list)
    due = models.JSONField(_("deadlines"), default=list)
    recurrence = models.JSONField(_("recurrence"), null=True, blank=True)
    time_limit = models.JSONField(_("time limit"), null=True, blank=True)
    targets = models.JSONField(_("targets"), default=list)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_rule = models.CharField(_("deadline rule"), max_length=255, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [models.UniqueConstraint(fields=["version", "position"], name="task_position")]

    def __str__(self) -> str:
        return f"{self.section}.{self.item}" if self.item else self.section

    @property
    def key(self) -> str:
        return str(self)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("lead")
    PARTNER = "partner", _("coordinating")


class Assignment(models.Model):
    """One agency's share of a task: its own deadline, status, updates and extensions."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="assignments")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices)
    via_group = models.CharField(_("as member of"), max_length=32, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["task", "role", "agency__code"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["task", "agency"], name="assignment_unique")]
        # Covers the status conditions of a task's lead assignments (queries.task_bucket_sql): index-only EXISTS.
        indexes = [models.Index(fields=["task", "role", "deadline", "completed_on"], name="assignment_status")]

    def __str__(self) -> str:
        return f"{self.task} — {self.agency.code}"


class TaskUpdate(models.Model):
    """A progress report an agency posts on its assignment. Never edited."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reported_on = models.DateField(_("date"))
    text = models.TextField(_("what was done"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    completes = models.BooleanField(_("completes the assignment"), default=False)

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.assignment} {self.reported_on}"


class ExtensionState(models.TextChoices):
    REQUESTED = "requested", _("requested by the agency")
    RECOMMENDED = "recommended", _("recommended by the DPI")
    NOT_RECOMMENDED = "not_recommended", _("not recommended by the DPI")
    APPROVED = "approved", _("approved by the leader")
    REJECTED = "rejected", _("rejected by the leader")


class Extension(models.Model):
    """A deadline extension: requested by the agency, recommended by the DPI, decided by a leader."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="extensions")
    state = models.CharField(_("state"), max_length=20, choices=ExtensionState.choices, default=ExtensionState.REQUESTED)
    current_deadline = models.DateField(_("current deadline"), null=True, blank=True)
    proposed_deadline = models.DateField(_("proposed deadline"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    dpi_note = models.TextField(_("DPI's opinion"), blank=True)
    dpi_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dpi_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("leader's decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self) -> str:
        return f"{self.assignment} → {format_date(self.proposed_deadline)}"

    @property
    def is_open(self) -> bool:
        return self.state in (ExtensionState.REQUESTED, ExtensionState.RECOMMENDED, ExtensionState.NOT_RECOMMENDED)


class ProgramImport(models.Model):
    """An uploaded document waiting for review: the extracted tasks, editable before they are loaded."""

    class State(models.TextChoices):
        DRAFT = "draft", _("under review")
        LOADED = "loaded", _("loaded")
        DISCARDED = "discarded", _("discarded")

    source_name = models.CharField(_("file"), max_length=255)
    parsed = models.JSONField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    version = models.ForeignKey(ProgramVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    edit_version = models.PositiveIntegerField(default=1, editable=False)  # bumped by each saved review (optimistic lock)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document under review")
        verbose_name_plural = _("documents under review")

    def __str__(self) -> str:
        return self.source_name
