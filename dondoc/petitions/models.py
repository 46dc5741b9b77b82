"""Businesses' difficulties and petitions: the register, routing history, progress, attachments.

States are stored (they are decisions people take); overdue / due soon are computed as of a date
(``domain/petition_clock.py``). The deadline given at routing is stored with the rule that produced it: it is what the
routing letter told the agency, so a later calendar override does not move it silently.
"""

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dondoc.domain.formats import format_date
from dondoc.domain.similarity import normalise


class PetitionCategory(models.Model):
    """A field of petitions with its default answer time limit in working days (data, editable by the DPI)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    answer_days = models.PositiveSmallIntegerField(_("answer within (working days)"))
    due_soon_days = models.PositiveSmallIntegerField(
        _("due soon within (working days)"), default=2,
        help_text=_("Warn when this many working days or fewer remain."),
    )
    basis = models.CharField(_("basis of the time limit"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)  # bumped by each saved edit (optimistic lock)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("petition category")
        verbose_name_plural = _("petition categories")
        constraints = [models.CheckConstraint(condition=Q(answer_days__gte=1), name="petitioncategory_days_positive")]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    LETTER = "letter", _("letter")
    MEETING = "meeting", _("meeting with businesses")
    HOTLINE = "hotline", _("hotline")
    AGENCY_REPORT = "agency_report", _("agency report")
    EMAIL = "email", _("e-mail")


class State(models.TextChoices):
    RECEIVED = "received", _("received")
    ASSIGNED = "assigned", _("assigned")
    IN_PROGRESS = "in_progress", _("in progress")
    ANSWERED = "answered", _("answered")
    PUBLISHED = "published", _("answer published")
    CLOSED = "closed", _("closed")
    ESCALATED = "escalated", _("escalated to the PPC")
    MERGED = "merged", _("merged into another petition")


ROUTED = (State.ASSIGNED, State.IN_PROGRESS, State.ESCALATED)  # waiting for an answer, on a clock
OPEN = (State.RECEIVED, *ROUTED)
ANSWERED = (State.ANSWERED, State.PUBLISHED, State.CLOSED)


class Petition(models.Model):
    """One difficulty or recommendation of a business (or of an agency, seed III.3)."""


    reference = models.CharField(_("number"), max_length=32, unique=True)
    tracking_code = models.CharField(_("tracking code"), max_length=64, unique=True, editable=False)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    category = models.ForeignKey(PetitionCategory, verbose_name=_("category"), on_delete=models.PROTECT,
                                 related_name="petitions")
    source_label = models.CharField(_("source"), max_length=255, blank=True,
                                    help_text=_("E.g. the meeting, the letter's number or the agency's report."))
    # Petitioner. Tax code and contact are personal data (Decree 13/2023/NĐ-CP): shown only to handlers, logged.
    business_name = models.CharField(_("business"), max_length=255)
    petitioner_agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("raised by agency"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="raised_petitions",
    )
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=255, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_address = models.CharField(_("address"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"))
    search_text = models.TextField(editable=False, blank=True)  # folded subject + text, for search
    # similarity.normalise(subject + text), for duplicate suggestions (rebuild_match_texts() backfills it)
    match_text = models.TextField(editable=False, blank=True, default="")
    notes = models.TextField(_("internal notes"), blank=True)
    # What it concerns or blocks.
    task = models.ForeignKey("programs.Task", verbose_name=_("program task"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="petitions")
    # A code, not a FK to investment.Project: petitions stay independent of investment (ADR 0009); a petition may
    # name a project the register does not hold yet.
    project_code = models.CharField(_("investment project"), max_length=64, blank=True,
                                    help_text=_("Code or name of the investment project it concerns."))
    # Routing: who answers, by when.
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED,
                             db_index=True)
    lead_agency = models.ForeignKey("accounts.Agency", verbose_name=_("lead agency"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="led_petitions")
    coordinators = models.ManyToManyField("accounts.Agency", verbose_name=_("coordinating agencies"),
                                          blank=True, related_name="coordinated_petitions")
    routed_on = models.DateField(_("routed on"), null=True, blank=True)
    answer_days = models.PositiveSmallIntegerField(_("answer within (working days)"), null=True, blank=True)
    due_on = models.DateField(_("answer due"), null=True, blank=True, db_index=True)
    deadline_rule = models.CharField(_("deadline rule"), max_length=255, blank=True)
    # The answer, naming the agency that gave it.
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by_agency = models.ForeignKey("accounts.Agency", verbose_name=_("answered by"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField(_("answer published on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Escalation to the PPC: proposed by the DPI, decided by a leader.
    escalation_reason = models.TextField(_("reason for escalation"), blank=True)
    escalation_proposed_on = models.DateField(_("escalation proposed on"), null=True, blank=True)
    escalation_decision = models.TextField(_("leader's decision"), blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("merged with petition"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        # The list's order (newest received first): read from the index instead of sorting every petition.
        indexes = [
            models.Index(fields=["received_on", "id"], name="petition_received"),
            # The clock's conditions (queries.Clock) read from the index alone: counts never touch the texts.
            models.Index(fields=["due_on", "answered_on", "routed_on", "state", "category"], name="petition_clock"),
            models.Index(fields=["answered_on"], name="petition_answered"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.subject}"[:255]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def escalation_pending(self) -> bool:
        return bool(self.escalation_proposed_on) and self.state != State.ESCALATED and self.is_open

    @property
    def responsible_agency(self):
        """The agency the petitioner is told is responsible: who answered, else who must answer."""
        return self.answered_by_agency or self.lead_agency


def match_text(subject: str, text: str) -> str:
    return normalise(f"{subject} {text}")


def rebuild_match_texts(model=None) -> int:
    """Recompute ``match_text`` of every petition (the migration; loaders that bulk-create petitions); ``model``
    is the historical model in a migration. Returns the number of rows changed."""
    model = model or Petition
    changed = []
    for p in model.objects.only("pk", "subject", "text", "match_text").iterator(chunk_size=2000):
        value = match_text(p.subject, p.text)
        if p.match_text != value:
            p.match_text = value
            changed.append(p)
    model.objects.bulk_update(changed, ["match_text"], batch_size=500)
    return len(changed)


class Routing(models.Model):
    """One routing decision: who leads, who coordinates, the deadline, and why (for a re-routing)."""

    class Kind(models.TextChoices):
        ROUTE = "route", _("routed")
        REROUTE = "reroute", _("re-routed")
        ESCALATE = "escalate", _("escalated to the PPC")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="routings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    lead_agency = models.ForeignKey("accounts.Agency", verbose_name=_("lead agency"), on_delete=models.PROTECT,
                                    related_name="+")
    coordinators = models.JSONField(_("coordinating agencies"), default=list)  # codes, as decided then
    answer_days = models.PositiveSmallIntegerField(_("answer within (working days)"), null=True, blank=True)
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    deadline_rule = models.CharField(_("deadline rule"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["petition", "created_at", "id"]
        verbose_name = _("routing")
        verbose_name_plural = _("routings")

    def __str__(self) -> str:
        return f"{self.petition.reference} → {self.lead_agency.code}"


class Update(models.Model):
    """Progress of the lead agency, a coordinating agency's contribution, or an internal note. Never edited."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress")
        CONTRIBUTION = "contribution", _("contribution")
        NOTE = "note", _("note")
        MERGE = "merge", _("merge")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    agency = models.ForeignKey("accounts.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("petition update")
        verbose_name_plural = _("petition updates")

    def __str__(self) -> str:
        return f"{self.petition.reference} {format_date(self.on)} {self.kind}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random stored name (the original name is kept in ``name``), one folder per petition."""
    return f"petitions/{instance.petition_id}/{secrets.token_hex(16)}{PurePosixPath(filename).suffix.lower()}"


class Attachment(models.Model):
    """A file of the petition, stored under a random name in the private storage (never under static files),
    served only by ``petitions:attachment``, which checks permission and logs the view."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    agency = models.ForeignKey("accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
