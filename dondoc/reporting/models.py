from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dondoc.accounts.models import Agency
from dondoc.programs.models import ActionProgram


class Every(models.TextChoices):
    MONTH = "month", _("monthly")
    QUARTER = "quarter", _("quarterly")
    HALF_YEAR = "half_year", _("half-yearly")
    YEAR = "year", _("yearly")


class Obligation(models.Model):
    """A reporting duty of a program: who reports, how often, to whom, by which day (data, editable)."""

    class Reading(models.TextChoices):
        BEFORE = "before", _("before the day (the day before is the last one)")
        BY = "by", _("by the day (the day itself is allowed)")

    class Roll(models.TextChoices):
        FORWARD = "forward", _("to the next working day")
        BACKWARD = "backward", _("to the previous working day")
        NONE = "none", _("not moved")

    program = models.ForeignKey(ActionProgram, on_delete=models.PROTECT, related_name="obligations")
    every = models.CharField(_("period"), max_length=12, choices=Every.choices, default=Every.MONTH)
    due_day = models.PositiveSmallIntegerField(_("due day"), default=25)
    reading = models.CharField(_("reading of the due day"), max_length=8, choices=Reading.choices,
                               default=Reading.BEFORE)
    roll = models.CharField(_("when the due day is a day off"), max_length=10, choices=Roll.choices,
                            default=Roll.FORWARD)
    to_agency = models.ForeignKey(Agency, verbose_name=_("reports go to"), on_delete=models.PROTECT, related_name="+")
    all_assigned = models.BooleanField(_("every agency assigned a task reports"), default=True)
    reporters = models.ManyToManyField(Agency, verbose_name=_("chosen reporting agencies"), blank=True,
                                       related_name="+")
    cutoff_day = models.PositiveSmallIntegerField(
        _("data cut-off day (Decree 09)"), null=True, blank=True,
        help_text=_("15: figures from the 15th of the previous month to the 14th. Empty: the calendar month."),
    )
    lock_after_days = models.PositiveSmallIntegerField(_("locked this many days after the due day"), default=10)
    first_period = models.DateField(_("first period"))
    last_period = models.DateField(_("last period"), null=True, blank=True)
    remind_before = models.JSONField(_("reminders before the due day (working days)"), default=list)
    remind_after = models.PositiveSmallIntegerField(_("reminder after the due day (working days)"), default=1)
    escalate_after = models.PositiveSmallIntegerField(_("escalation to the agency head (working days)"), default=3)
    literal = models.TextField(_("as written in the program"), blank=True)

    class Meta:
        ordering = ["program", "every"]
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")

    def __str__(self) -> str:
        return f"{self.program.number} — {self.get_every_display()}"


class Indicator(models.Model):
    """A quantitative duty reported each period (e.g. NHNN: customers with restructured loans)."""

    class Kind(models.TextChoices):
        COUNT = "count", _("count")
        MONEY = "money", _("amount (đồng)")
        NUMBER = "number", _("number")

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="indicators")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=255)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COUNT)
    task_key = models.CharField(_("program item"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agency__code", "position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["obligation", "agency", "code"], name="indicator_unique")]

    def __str__(self) -> str:
        return self.name


class ReportState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    RESUBMITTED = "resubmitted", _("resubmitted")
    ACCEPTED = "accepted", _("accepted")


class Report(models.Model):
    """One agency's report for one period. The draft is edited; each submission is an immutable version."""

    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="reports")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="reports")
    period = models.DateField(_("period"))
    state = models.CharField(_("state"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT)
    draft = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1, editable=False)  # bumped by each saved draft (optimistic lock)
    first_submitted_on = models.DateField(_("first submitted on"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period", "agency__code"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["obligation", "agency", "period"], name="report_unique")]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.period:%m/%Y}"

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()


class ReportVersion(models.Model):
    """What the DPI received: a frozen copy of the report at each submission."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    content = models.JSONField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField()
    submitted_on = models.DateField()

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/%m/")
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    SCOPE_AGENCY_FIELD = "report__agency"

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class ReminderTemplate(models.Model):
    """Editable Vietnamese text of each reminder; {placeholders} are filled when it is sent."""

    kind = models.CharField(_("kind"), max_length=12, unique=True)
    subject = models.CharField(pgettext_lazy("e-mail", "subject"), max_length=255)
    body = models.TextField(_("body"))

    class Meta:
        ordering = ["kind"]
        verbose_name = _("reminder template")
        verbose_name_plural = _("reminder templates")

    def __str__(self) -> str:
        return self.kind
