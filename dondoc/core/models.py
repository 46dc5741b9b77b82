from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dondoc.domain import workdays


class AuditEvent(models.Model):
    """One state change. Written by action functions in the same transaction as the change; never edited.

    ``at`` is business time (the product clock, so a pinned demo date stamps its events on that date);
    ``recorded_at`` is the real wall-clock time the row was written."""

    at = models.DateTimeField(_("time"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    kind = models.CharField(_("kind"), max_length=64)
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    old = models.JSONField(_("old data"), null=True, blank=True)
    new = models.JSONField(_("new data"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # The audit page's filters, each followed by its order (newest first, keyset by (at, id)): see
        # core/audit_log.py and docs/operations.md.
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["at", "id"], name="audit_at_id"),
            models.Index(fields=["kind", "at", "id"], name="audit_kind_at"),
            models.Index(fields=["actor_name", "at", "id"], name="audit_actor_at"),
            models.Index(fields=["agency", "at", "id"], name="audit_agency_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.target_repr}"

    @property
    def recorded_other_day(self) -> bool:
        """Written on another real day than its business time (a pinned demo date, a replayed history)."""
        return timezone.localdate(self.recorded_at) != timezone.localdate(self.at)

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, old, new) for every field the event touched; a missing side is None."""
        old = self.old if isinstance(self.old, dict) else {}
        new = self.new if isinstance(self.new, dict) else {}
        return [(key, old.get(key), new.get(key)) for key in dict.fromkeys([*old, *new])]


class OverrideKind(models.TextChoices):
    OFF = workdays.OVERRIDE_OFF, _("day off")
    WORKDAY = workdays.OVERRIDE_WORKDAY, _("working day")


class CalendarOverride(models.Model):
    """A day the law (the `holidays` package) does not know: a future swap, a provincial decision.

    Read by ``core.calendar`` for every feature; edited through ``deadlines`` (calendar page, command,
    actions). The table keeps its first name: the model moved here from ``deadlines`` (migrations
    core 0002 and deadlines 0002 change only Django's state).
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OverrideKind.choices)
    name = models.CharField(_("name"), max_length=255)
    reference = models.CharField(_("legal reference"), max_length=255)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        db_table = "deadlines_calendaroverride"
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    def as_day(self) -> workdays.Day:
        return workdays.Day(self.date, self.name, self.kind, self.reference)


class WorkerHeartbeat(models.Model):
    """One background worker process (`dondoc worker`), refreshed while it runs. Real time, not business time:
    it says whether the machine is alive. Read by /healthz and the operations page."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen"), db_index=True)
    current = models.CharField(_("current task"), max_length=255, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.hostname}"


class SweeperRun(models.Model):
    """One run of a scheduled sweeper (`check_deadlines`, `send_reminders`, `send_outbox`, `check_petitions`,
    `backup`, …): when it started and ended (real time), how it ended and what it said."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        OK = "ok", _("succeeded")
        FAILED = "failed", _("failed")

    name = models.CharField(_("sweeper"), max_length=64)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("sweeper run")
        verbose_name_plural = _("sweeper runs")
        indexes = [models.Index(fields=["name", "-started_at"])]
        constraints = [models.UniqueConstraint(fields=["name"], condition=models.Q(status="running"),
                                               name="sweeperrun_one_running")]

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
