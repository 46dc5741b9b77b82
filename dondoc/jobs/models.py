from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One piece of background work started from a page (an upload to check, import or parse). The row is the
    job's state: the page polls it, the worker writes it. The task queue (django-tasks) only says "run job N"."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        PREVIEW = "preview", _("checked, waiting for confirmation")
        DONE = "done", _("done")
        REJECTED = "rejected", _("rejected")
        FAILED = "failed", _("failed")

    FINISHED = (State.PREVIEW, State.DONE, State.REJECTED, State.FAILED)

    kind = models.CharField(_("kind"), max_length=32)  # a key of the handler table (dondoc/home/jobs.py)
    file = models.CharField(max_length=255, blank=True)  # path under the media root
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    size = models.BigIntegerField(_("size"), default=0)
    options = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(default=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress_rows = models.PositiveIntegerField(default=0)
    progress = models.FloatField(default=0.0)  # 0..1, written by the worker in its own short transactions
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    worker_id = models.CharField(_("worker"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["state", "kind"]),
                   models.Index(fields=["state", "-created_at"], name="job_state_newest")]  # /jobs/?state=…

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None
