"""Writes to the petitions register. Keyword-only, explicit actor, atomic, audited (kind "petition.<verb>")."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.core import audit
from dondoc.core.calendar import get_calendar
from dondoc.core.concurrency import check_version
from dondoc.core.uploads import check_upload
from dondoc.domain.formats import format_date
from dondoc.domain.text import search_key
from dondoc.domain.workdays import CalendarRangeError

from . import permissions
from .models import (
    Attachment,
    Channel,
    Petition,
    PetitionCategory,
    Routing,
    State,
    Update,
    match_text,
)

PETITION_FIELDS = [
    "reference", "received_on", "channel", "category", "source_label", "business_name", "petitioner_agency",
    "subject", "task", "project_code",
]
# Personal data never enters the audit log's old/new values: only whether it changed.
PERSONAL_FIELDS = ["tax_code", "contact_name", "contact_phone", "contact_email", "contact_address"]
CATEGORY_FIELDS = ["code", "name", "answer_days", "due_soon_days", "basis", "position"]

MAX_ATTACHMENT = 10 * 1024 * 1024
ATTACHMENT_TYPES = {".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png"}  # checked by content: core.uploads


def _require(ok: bool) -> None:
    if not ok:
        raise PermissionDenied


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _fmt(day: dt.date) -> str:
    return format_date(day)


def _record(actor, kind: str, petition: Petition, *, old=None, new=None, note: str = "", agency=None, at=None):
    audit.record(actor=actor, kind=f"petition.{kind}", target=petition, agency=agency or petition.lead_agency,
                 old=old, new=new, note=note, at=at)


def _not_before(on: dt.date, earliest: dt.date | None, message: str) -> None:
    if earliest is not None and on < earliest:
        raise ValidationError(message % {"date": _fmt(earliest)})


def new_tracking_code() -> str:
    """128 random bits, URL-safe: the petitioner's key to the public status page."""
    return secrets.token_urlsafe(16)


def next_reference(year: int) -> str:
    prefix = f"KN-{year}-"
    numbers = [int(r.removeprefix(prefix)) for r in
               Petition.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
               if r.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


# --- categories -------------------------------------------------------------------------------------------


@transaction.atomic
def create_category(*, actor, code: str, name: str, answer_days: int, **fields) -> PetitionCategory:
    category = PetitionCategory(code=code, name=name, answer_days=answer_days, **fields)
    category.full_clean()
    category.save()
    audit.record(actor=actor, kind="petition_category.create", target=category,
                 new=audit.snapshot(category, CATEGORY_FIELDS))
    return category


@transaction.atomic
def update_category(*, actor, category: PetitionCategory, version: int | None = None, **changes) -> PetitionCategory:
    """Change a category's default time limit. Petitions already routed keep the deadline they were given.
    ``version``: the one the form was opened with (stale: ``StaleEdit``, nothing saved)."""
    _require(actor is None or access.can(actor, "petition.manage_categories"))
    category = PetitionCategory.objects.select_for_update().get(pk=category.pk)
    check_version(category, version, unchanged=all(getattr(category, k) == v for k, v in changes.items()),
                  kinds=("petition_category.update", "admin.petitioncategory.change"))
    if audit.apply_changes(actor=actor, obj=category, fields=CATEGORY_FIELDS, changes=changes,
                           kind="petition_category.update"):
        PetitionCategory.objects.filter(pk=category.pk).update(version=F("version") + 1)
        category.version += 1
    return category


# --- intake -----------------------------------------------------------------------------------------------


@transaction.atomic
def intake(*, actor, received_on: dt.date, channel: str, category: PetitionCategory, business_name: str,
           subject: str, text: str, tax_code: str = "", contact_name: str = "", contact_phone: str = "",
           contact_email: str = "", contact_address: str = "", source_label: str = "", task=None,
           project_code: str = "", petitioner_agency: Agency | None = None, notes: str = "",
           reference: str | None = None, at: dt.datetime) -> Petition:
    """Register a petition (the DPI). ``reference`` is given only by loaders; otherwise KN-<year>-<n>."""
    _require(actor is None or access.can(actor, "petition.intake"))
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel: %(channel)s.") % {"channel": channel})
    if not text.strip() or not subject.strip() or not business_name.strip():
        raise ValidationError(_("A petition needs the petitioner, a subject and its text."))
    if received_on > timezone.localdate(at):
        raise ValidationError(_("The date received cannot be in the future."))
    reference = reference or next_reference(received_on.year)
    if Petition.objects.filter(reference=reference).exists():
        raise ValidationError(_("Petition %(ref)s already exists.") % {"ref": reference})
    petition = Petition(
        reference=reference, tracking_code=new_tracking_code(), received_on=received_on, channel=channel,
        category=category, source_label=source_label.strip(), business_name=business_name.strip(),
        petitioner_agency=petitioner_agency, tax_code=tax_code.strip(), contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(), contact_email=contact_email.strip(),
        contact_address=contact_address.strip(), subject=subject.strip(), text=text.strip(), notes=notes.strip(),
        task=task, project_code=project_code.strip(),
    )
    petition.search_text = search_key(f"{petition.reference} {petition.subject} {petition.business_name} {petition.text}")
    petition.match_text = match_text(petition.subject, petition.text)
    petition.full_clean()
    petition.save()
    new = audit.snapshot(petition, PETITION_FIELDS)
    new["personal_data"] = sorted(f for f in PERSONAL_FIELDS if getattr(petition, f))
    _record(actor, "intake", petition, new=new, agency=petitioner_agency, at=at)
    return petition


CATEGORY_WORDS = [  # folded key words -> category code, first match wins (used for agencies' recommendations)
    ("giai phong mat bang", "land"), ("gpmb", "land"), ("dat dai", "land"), ("thu hoi dat", "land"),
    ("thue", "tax"), ("phi", "tax"), ("tin dung", "credit"), ("vay von", "credit"), ("ngan hang", "credit"),
    ("hai quan", "customs"), ("cua khau", "customs"), ("thong quan", "customs"), ("bien mau", "customs"),
    ("quy hoach", "planning"), ("thu tuc", "procedures"), ("giay phep", "procedures"),
]


def guess_category(text: str) -> PetitionCategory:
    key = f" {search_key(text)} "
    for words, code in CATEGORY_WORDS:
        if f" {words} " in key or f" {words}," in key:
            found = PetitionCategory.objects.filter(code=code).first()
            if found:
                return found
    other = PetitionCategory.objects.filter(code="other").first()
    if other is None:
        raise ValidationError(_("The petition categories are not loaded (dondoc load_reference)."))
    return other


@transaction.atomic
def create_from_recommendation(*, actor, agency: Agency, text: str, source_label: str, received_on: dt.date,
                               category: PetitionCategory | None = None, subject: str = "",
                               reference: str | None = None, at: dt.datetime) -> Petition:
    """A recommendation in ``agency``'s monthly report becomes a petition in one step (channel "agency
    report", the agency as petitioner). The same recommendation of the same report is not registered twice."""
    existing = Petition.objects.filter(channel=Channel.AGENCY_REPORT, petitioner_agency=agency,
                                       source_label=source_label.strip(), text=text.strip()).first()
    if existing is not None:
        _require(actor is None or access.can(actor, "petition.intake"))
        return existing
    words = text.strip().split()
    subject = subject.strip() or " ".join(words[:18]) + (" …" if len(words) > 18 else "")
    return intake(actor=actor, received_on=received_on, channel=Channel.AGENCY_REPORT,
                  category=category or guess_category(text), business_name=agency.name, subject=subject[:255],
                  text=text, source_label=source_label, petitioner_agency=agency, reference=reference, at=at)


# --- routing ----------------------------------------------------------------------------------------------


def compute_deadline(petition: Petition, on: dt.date, days: int) -> tuple[dt.date, str]:
    """``days`` working days after ``on`` (Civil Code counting, the working calendar), with its rule."""
    try:
        deadline = get_calendar().deadline(on, days, True)
    except CalendarRangeError as exc:
        raise ValidationError(_("The date is outside the working calendar.")) from exc
    source = (f"thời hạn mặc định của lĩnh vực “{petition.category.name}”" if days == petition.category.answer_days
              else "thời hạn do Sở Kế hoạch và Đầu tư ấn định khi giao")
    return deadline.due, f"{deadline.explanation} ({source})"


@transaction.atomic
def route(*, actor, petition: Petition, lead: Agency, coordinators: list[Agency] | tuple = (),
          at: dt.datetime, on: dt.date | None = None, days: int | None = None, reason: str = "") -> Petition:
    """Assign the lead and coordinating agencies and the answer deadline. A second call re-routes: the reason
    is required, the new lead is responsible from then on, and the deadline runs again from ``on``."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not petition.is_open:
        raise ValidationError(_("This petition is no longer open."))
    _require(actor is None or access.can(actor, "petition.route", petition))
    on = on or timezone.localdate(at)
    rerouting = petition.lead_agency_id is not None
    if rerouting and not reason.strip():
        raise ValidationError(_("Say why the petition is re-routed."))
    _not_before(on, petition.routed_on or petition.received_on,
                _("The routing date cannot be before %(date)s."))
    coordinators = [a for a in dict.fromkeys(coordinators) if a.pk != lead.pk]
    days = days or petition.category.answer_days
    if days < 1:
        raise ValidationError(_("The time limit must be at least one working day."))
    due_on, rule = compute_deadline(petition, on, days)
    before = {"state": petition.state, "lead_agency": petition.lead_agency.code if petition.lead_agency else None,
              "coordinators": sorted(petition.coordinators.values_list("code", flat=True)),
              "due_on": petition.due_on}
    old_lead = petition.lead_agency
    petition.lead_agency, petition.routed_on, petition.answer_days = lead, on, days
    petition.due_on, petition.deadline_rule = due_on, rule
    if petition.state in (State.RECEIVED, State.ESCALATED):
        petition.state = State.ASSIGNED
    petition.escalation_proposed_on, petition.escalation_reason = None, ""
    petition.save()
    petition.coordinators.set(coordinators)
    codes = sorted(a.code for a in coordinators)
    Routing.objects.create(petition=petition, kind=Routing.Kind.REROUTE if rerouting else Routing.Kind.ROUTE,
                           on=on, lead_agency=lead, coordinators=codes, answer_days=days, due_on=due_on,
                           deadline_rule=rule, reason=reason.strip(), by=_user(actor))
    after = {"state": petition.state, "lead_agency": lead.code, "coordinators": codes, "due_on": due_on}
    old, new = audit.diff(before, after)
    new["deadline_rule"] = rule
    _record(actor, "reroute" if rerouting else "route", petition, old=old, new=new, note=reason.strip(), at=at)
    if rerouting and old_lead and old_lead.pk != lead.pk:
        # The agency that no longer leads sees the decision in its own audit trail too.
        _record(actor, "reroute", petition, old=old, new=new, note=reason.strip(), agency=old_lead, at=at)
    return petition


# --- progress, answer, publication, closing ---------------------------------------------------------------

_UPDATE_ACTION = {Update.Kind.PROGRESS: "progress", Update.Kind.CONTRIBUTION: "contribute", Update.Kind.NOTE: "note"}


def _acting_agency(actor, petition: Petition) -> Agency | None:
    if actor is None:
        return None
    if permissions.is_lead(actor, petition):
        return petition.lead_agency
    ids = access.agency_ids(actor)
    return petition.coordinators.filter(pk__in=ids).first() or Agency.objects.filter(pk__in=ids).first()


@transaction.atomic
def post_update(*, actor, petition: Petition, text: str, at: dt.datetime, kind: str | None = None,
                on: dt.date | None = None) -> Update:
    """Progress (lead agency), contribution (coordinating agency) or an internal note (DPI). The first
    progress moves an assigned petition to "in progress"."""
    if kind is None:
        kind = (Update.Kind.PROGRESS if actor is not None and permissions.is_lead(actor, petition)
                else Update.Kind.CONTRIBUTION if actor is not None and permissions.is_coordinator(actor, petition)
                else Update.Kind.NOTE)
    if kind not in _UPDATE_ACTION:
        raise ValidationError(_("Unknown kind of update."))
    _require(actor is None or access.can(actor, f"petition.{_UPDATE_ACTION[kind]}", petition))
    on = on or timezone.localdate(at)
    if not text.strip():
        raise ValidationError(_("Write what was done."))
    _not_before(on, petition.routed_on or petition.received_on, _("The date cannot be before %(date)s."))
    agency = petition.lead_agency if actor is None and kind == Update.Kind.PROGRESS else _acting_agency(actor, petition)
    update = Update.objects.create(petition=petition, kind=kind, agency=agency, on=on, text=text.strip(),
                                   author=_user(actor))
    old, new = None, {"kind": kind, "on": on, "agency": agency.code if agency else None}
    if kind == Update.Kind.PROGRESS and petition.state == State.ASSIGNED:
        old, new["state"] = {"state": petition.state}, State.IN_PROGRESS
        petition.state = State.IN_PROGRESS
        petition.save(update_fields=["state"])
    _record(actor, str(kind), petition, old=old, new=new, note=update.text[:500], at=at)
    return update


@transaction.atomic
def answer(*, actor, petition: Petition, text: str, at: dt.datetime, on: dt.date | None = None) -> Petition:
    """The answer to the petitioner, given by (and naming) the lead agency — the PPC for an escalated one."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.state not in (State.ASSIGNED, State.IN_PROGRESS, State.ESCALATED):
        raise ValidationError(_("This petition cannot be answered in its present state."))
    _require(actor is None or access.can(actor, "petition.answer", petition))
    on = on or timezone.localdate(at)
    if not text.strip():
        raise ValidationError(_("Write the answer."))
    if on > timezone.localdate(at):
        raise ValidationError(_("The answer date cannot be in the future."))
    _not_before(on, petition.routed_on or petition.received_on, _("The answer date cannot be before %(date)s."))
    before = petition.state
    petition.answer, petition.answered_on, petition.answered_by_agency = text.strip(), on, petition.lead_agency
    petition.state = State.ANSWERED
    petition.save()
    _record(actor, "answer", petition, old={"state": before},
            new={"state": petition.state, "answered_on": on, "answered_by": petition.lead_agency.code,
                 "due_on": petition.due_on}, at=at)
    return petition


@transaction.atomic
def publish(*, actor, petition: Petition, at: dt.datetime, on: dt.date | None = None) -> Petition:
    """The answer becomes visible on the public status page."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.state != State.ANSWERED:
        raise ValidationError(_("Only an answered petition can have its answer published."))
    _require(actor is None or access.can(actor, "petition.publish", petition))
    on = on or timezone.localdate(at)
    _not_before(on, petition.answered_on, _("The publication date cannot be before the answer (%(date)s)."))
    petition.state, petition.published_on = State.PUBLISHED, on
    petition.save(update_fields=["state", "published_on"])
    _record(actor, "publish", petition, old={"state": State.ANSWERED}, new={"state": petition.state, "on": on}, at=at)
    return petition


@transaction.atomic
def close(*, actor, petition: Petition, at: dt.datetime, on: dt.date | None = None, note: str = "") -> Petition:
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.state != State.PUBLISHED:
        raise ValidationError(_("Only a petition whose answer is published can be closed."))
    _require(actor is None or access.can(actor, "petition.close", petition))
    on = on or timezone.localdate(at)
    _not_before(on, petition.published_on, _("The closing date cannot be before %(date)s."))
    petition.state, petition.closed_on = State.CLOSED, on
    petition.save(update_fields=["state", "closed_on"])
    _record(actor, "close", petition, old={"state": State.PUBLISHED}, new={"state": petition.state, "on": on},
            note=note.strip(), at=at)
    return petition


# --- escalation -------------------------------------------------------------------------------------------


@transaction.atomic
def propose_escalation(*, actor, petition: Petition, reason: str, at: dt.datetime,
                       on: dt.date | None = None) -> Petition:
    """The DPI proposes that the PPC decide (beyond the agencies' competence); a leader decides."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if petition.state not in (State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS):
        raise ValidationError(_("This petition cannot be escalated in its present state."))
    if petition.escalation_pending:
        raise ValidationError(_("An escalation is already waiting for a leader's decision."))
    _require(actor is None or access.can(actor, "petition.escalate", petition))
    if not reason.strip():
        raise ValidationError(_("Say why the PPC must decide."))
    on = on or timezone.localdate(at)
    petition.escalation_reason, petition.escalation_proposed_on, petition.escalation_decision = reason.strip(), on, ""
    petition.save(update_fields=["escalation_reason", "escalation_proposed_on", "escalation_decision"])
    _record(actor, "escalation_propose", petition, new={"on": on}, note=petition.escalation_reason, at=at)
    return petition


@transaction.atomic
def decide_escalation(*, actor, petition: Petition, approve: bool, at: dt.datetime, note: str = "",
                      on: dt.date | None = None) -> Petition:
    """A leader's decision. Approved: the PPC (UBND) is responsible now; the agencies' clock stops (the PPC
    sets its own time). Refused: the petition stays with its agencies."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not petition.escalation_pending:
        raise ValidationError(_("No escalation is waiting for a decision."))
    _require(actor is not None and access.can(actor, "petition.decide_escalation", petition))
    on = on or timezone.localdate(at)
    before = {"state": petition.state, "lead_agency": petition.lead_agency.code if petition.lead_agency else None,
              "due_on": petition.due_on}
    petition.escalation_decision = note.strip()
    if approve:
        ppc = Agency.objects.filter(code="UBND").first()
        if ppc is None:
            raise ValidationError(_("The PPC (code UBND) is not in the agency registry."))
        rule = f"Đã chuyển UBND tỉnh xem xét, quyết định từ ngày {_fmt(on)}"
        Routing.objects.create(petition=petition, kind=Routing.Kind.ESCALATE, on=on, lead_agency=ppc,
                               coordinators=[], due_on=None, deadline_rule=rule,
                               reason=f"{petition.escalation_reason}\n{note.strip()}".strip(), by=_user(actor))
        petition.state, petition.lead_agency, petition.due_on, petition.deadline_rule = State.ESCALATED, ppc, None, rule
    else:
        petition.escalation_proposed_on = None
    petition.save()
    after = {"state": petition.state, "lead_agency": petition.lead_agency.code if petition.lead_agency else None,
             "due_on": petition.due_on}
    old, new = audit.diff(before, after)
    new["approved"] = approve
    _record(actor, "escalation_decide", petition, old=old, new=new, note=note.strip(), at=at)
    return petition


# --- duplicates -------------------------------------------------------------------------------------------


@transaction.atomic
def merge(*, actor, duplicate: Petition, into: Petition, at: dt.datetime, reason: str = "",
          on: dt.date | None = None) -> Petition:
    """``duplicate`` joins ``into``: its history, updates and attachments stay where they are, it is marked
    merged, and its public page follows the main petition's status and answer."""
    if duplicate.pk == into.pk:
        raise ValidationError(_("A petition cannot be merged into itself."))
    duplicate = Petition.objects.select_for_update().get(pk=duplicate.pk)
    into = Petition.objects.select_for_update().get(pk=into.pk)
    if not duplicate.is_open:
        raise ValidationError(_("Only an open petition can be merged into another."))
    if into.state in (State.CLOSED, State.MERGED):
        raise ValidationError(_("A petition cannot be merged into a closed or merged one."))
    _require(actor is None or access.can(actor, "petition.merge", duplicate))
    on = on or timezone.localdate(at)
    before = duplicate.state
    duplicate.state, duplicate.merged_into = State.MERGED, into
    duplicate.save(update_fields=["state", "merged_into"])
    text = _("%(dup)s merged into %(into)s.") % {"dup": duplicate.reference, "into": into.reference}
    if reason.strip():
        text = f"{text} {reason.strip()}"
    for p in (duplicate, into):
        Update.objects.create(petition=p, kind=Update.Kind.MERGE, on=on, text=text, author=_user(actor))
    _record(actor, "merge", duplicate, old={"state": before}, new={"state": State.MERGED, "into": into.reference},
            note=reason.strip(), at=at)
    _record(actor, "merge_into", into, new={"merged": duplicate.reference}, note=reason.strip(), at=at)
    return into


# --- attachments and personal data ------------------------------------------------------------------------


def check_file(name: str, data: bytes) -> str:
    """The content type of an acceptable attachment; ValidationError for a wrong size, type or content."""
    return check_upload(name, data, accept=ATTACHMENT_TYPES, max_size=MAX_ATTACHMENT)


@transaction.atomic
def add_attachment(*, actor, petition: Petition, name: str, data: bytes) -> Attachment:
    _require(actor is None or access.can(actor, "petition.attach", petition))
    content_type = check_file(name, data)
    clean_name = PurePosixPath(name.replace("\\", "/")).name[:255] or "file"
    attachment = Attachment(petition=petition, name=clean_name, content_type=content_type, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), uploaded_by=_user(actor),
                            agency=_acting_agency(actor, petition) if actor is not None else None)
    attachment.file.save(clean_name, ContentFile(data), save=False)
    try:
        attachment.save()
        _record(actor, "attach", petition, new={"attachment": attachment.pk, "name": clean_name,
                                                "size": len(data), "sha256": attachment.sha256})
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def record_personal_view(*, actor, petition: Petition, what: str) -> None:
    """Decree 13/2023: every view of a petitioner's personal data is logged (who, which petition, what)."""
    _require(access.can(actor, "petition.view_personal", petition))
    _record(actor, "view_personal", petition, note=what)

