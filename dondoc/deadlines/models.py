"""SLA dossiers and their time-limit rules. States are not stored: the dates they are read from are
(``due_on``, ``due_soon_from``, ``clock_settled_on``, see ``domain/sla.ClockDates``), kept by the actions, and
``queries`` compares them with the as-of day in SQL. The working calendar's overrides live in core
(``core.models.CalendarOverride``), as every feature counts days."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dondoc.domain import workdays
from dondoc.domain.formats import format_date


class DossierType(models.Model):
    """A kind of dossier with its time-limit rule: ``days`` (working or calendar) after ``start_event``."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    days = models.PositiveSmallIntegerField(_("time limit (days)"))
    working = models.BooleanField(
        _("working days"), default=True,
        help_text=_("Count working days (Monday–Friday without holidays); otherwise calendar days."),
    )
    start_event = models.CharField(_("clock starts at"), max_length=255, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("responsible agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("due soon within (days)"), default=2, help_text=_("Warn when this many counted days or fewer remain."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("dossier type")
        verbose_name_plural = _("dossier types")
        constraints = [models.CheckConstraint(condition=Q(days__gte=1), name="dossiertype_days_positive")]

    def __str__(self) -> str:
        return self.name


class Dossier(models.Model):
    """One dossier on an SLA clock. ``days``/``working`` are copied from the type at entry, so editing a
    type later never changes the deadline of a dossier already received."""

    SCOPE_AGENCY_FIELD = "agency"

    type = models.ForeignKey(DossierType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="dossiers")
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="dossiers"
    )
    reference = models.CharField(_("dossier number"), max_length=100)
    subject = models.CharField(_("subject"), max_length=500)
    received_on = models.DateField(_("received on"))
    days = models.PositiveSmallIntegerField(_("time limit (days)"))
    working = models.BooleanField(_("working days"), default=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Derived (sla.clock_dates), maintained by the actions; rebuilt by actions.refresh_clocks().
    due_on = models.DateField(_("Due"), null=True, blank=True, editable=False)
    due_soon_from = models.DateField(null=True, blank=True, editable=False)
    clock_settled_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["agency", "received_on"], name="dossier_agency_received"),
            # Every column a state as of a day reads (queries.States), completion first: counts and the
            # province-wide lists and compliance read this index alone.
            models.Index(fields=["completed_on", "due_on", "received_on", "clock_settled_on", "due_soon_from",
                                 "agency"], name="dossier_clock"),
            # The same columns by receipt date first (and the id, for PostgreSQL's index-only reads): dossiers
            # running as of an early day but completed later (queries._running).
            models.Index(fields=["received_on", "completed_on", "due_on", "clock_settled_on", "due_soon_from",
                                 "agency", "id"], name="dossier_received_clock"),
            models.Index(fields=["agency", "due_on"], condition=Q(completed_on__isnull=True),
                         name="dossier_open_agency_due"),
            # Dossiers whose clock a pause event moves after a past as-of day (queries.States.pending): the
            # receipt and completion dates in the index, so the few asked are the only rows read.
            models.Index(fields=["clock_settled_on", "received_on", "completed_on"],
                         condition=Q(clock_settled_on__isnull=False), name="dossier_settled_running"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["type", "agency", "reference"], name="dossier_unique_reference"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("received_on")),
                name="dossier_completed_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject}"[:255]

    def pause_values(self) -> list[workdays.Pause]:
        return [workdays.Pause(p.paused_on, p.resumed_on) for p in self.pauses.all()]


class DossierPause(models.Model):
    """The dossier was returned for supplements: the clock stops on ``paused_on`` and runs again from
    ``resumed_on`` (counted). An open pause has no ``resumed_on``."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    paused_on = models.DateField(_("paused on"))
    resumed_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["paused_on", "id"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=F("paused_on")), name="pause_resumed_after"
            )
        ]

    def __str__(self) -> str:
        return f"{format_date(self.paused_on)} – {format_date(self.resumed_on)}" if self.resumed_on else f"{format_date(self.paused_on)} –"
