"""Writes of the reporting cycle: obligations, drafts, submissions, returns, acceptance. Atomic and audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dondoc import access
from dondoc.accounts.models import Agency
from dondoc.core import audit
from dondoc.core.concurrency import check_version
from dondoc.core.uploads import MB, check_upload
from dondoc.domain import reporting_cycle as rc
from dondoc.domain.formats import format_date

from . import queries
from .models import Attachment, Obligation, Report, ReportState, ReportVersion

ALLOWED_ATTACHMENTS = {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".odt", ".ods", ".jpg", ".jpeg", ".png"}
MAX_ATTACHMENT = 10 * 1024 * 1024  # per file
MAX_REPORT_ATTACHMENTS = 30 * 1024 * 1024  # all the files of one report together
TASK_FIELDS = ("status", "done", "figures", "difficulties")
TASK_STATUSES = ("not_started", "in_progress", "done")


def _require(ok: bool) -> None:
    if not ok:
        raise PermissionDenied


@transaction.atomic
def ensure_obligations(*, actor, program, parsed: dict, at: dt.datetime) -> list[Obligation]:
    """Create the program's reporting obligations from its parsed reporting rules (once; later edits are kept)."""
    created = []
    for rule in parsed.get("reporting") or []:
        every = rule.get("every", "month")
        if every not in rc.MONTHS or program.obligations.filter(every=every).exists():
            continue
        day = rule.get("before_day") if isinstance(rule.get("before_day"), int) else 25
        to = Agency.objects.filter(code__in=rule.get("to") or []).first() or Agency.objects.filter(code="SKHDT").first()
        if to is None:
            continue
        issued = program.issued_on or timezone.localdate(at)
        first = rc.period_start(every, issued)
        if issued.day >= day:  # issued after this period's due day: reporting starts with the next period
            first = rc.add_months(first, rc.MONTHS[every])
        obligation = Obligation.objects.create(
            program=program, every=every, due_day=day, to_agency=to, first_period=first,
            remind_before=[5, 2], literal=rule.get("literal", ""), cutoff_day=None,
        )
        audit.record(actor=actor, kind="obligation.create", target=obligation,
                     new={"program": program.number, "every": every, "due_day": day, "to": to.code,
                          "first_period": first}, at=at)
        created.append(obligation)
    return created


def _prefill(obligation: Obligation, agency: Agency) -> dict:
    tasks = [{"assignment": a.pk, "key": a.task.key, "role": a.role, "status": "in_progress" if not a.completed_on
              else "done", "done": "", "figures": "", "difficulties": ""}
             for a in queries.my_assignments(obligation, agency)]
    return {"tasks": tasks, "indicators": {}, "difficulties": "", "recommendations": []}


@transaction.atomic
def open_report(*, actor, obligation: Obligation, agency: Agency, period: dt.date) -> Report:
    """The agency's report for the period, created as a draft prefilled with its tasks."""
    _require(access.can(actor, "report.edit", agency))
    period = rc.period_start(obligation.every, period)
    if period < obligation.first_period:
        raise ValidationError(_("This program's reporting starts with %(p)s.") % {
            "p": rc.label(obligation.every, obligation.first_period)})
    report, created = Report.objects.get_or_create(obligation=obligation, agency=agency, period=period,
                                                   defaults={"draft": _prefill(obligation, agency)})
    if created:
        audit.record(actor=actor, kind="report.create", target=report, agency=agency,
                     new={"period": period, "tasks": len(report.draft["tasks"])})
    return report


def _clean(report: Report, data: dict) -> dict:
    """Validate a draft's content against the report's tasks and indicators; raise with every problem."""
    errors = []
    known = {t["assignment"]: t for t in report.draft.get("tasks", [])}
    tasks = []
    for row in data.get("tasks", []):
        base = known.get(row.get("assignment"))
        if base is None:
            continue  # a task not in this report is ignored, never added
        entry = {**base, **{k: str(row.get(k, base.get(k, ""))).strip() for k in TASK_FIELDS}}
        if entry["status"] not in TASK_STATUSES:
            errors.append(_("Task %(key)s: unknown status.") % {"key": base["key"]})
        tasks.append(entry)
    indicators = {}
    codes = {i.code: i for i in report.obligation.indicators.filter(agency=report.agency)}
    for code, raw in (data.get("indicators") or {}).items():
        if code not in codes:
            continue
        text = str(raw).strip().replace(".", "").replace(",", ".") if raw not in (None, "") else ""
        if text == "":
            continue
        try:
            value = float(text) if codes[code].kind == "number" else int(text)
        except ValueError:
            errors.append(_("%(name)s: \"%(value)s\" is not a number.") % {"name": codes[code].name, "value": raw})
            continue
        if value < 0:
            errors.append(_("%(name)s cannot be negative.") % {"name": codes[code].name})
        indicators[code] = value
    if errors:
        raise ValidationError(errors)
    recs = [r.strip() for r in data.get("recommendations", []) if r and r.strip()]
    return {"tasks": tasks or list(known.values()), "indicators": indicators,
            "difficulties": str(data.get("difficulties", "")).strip(), "recommendations": recs}


def _editable(report: Report, as_of: dt.date) -> None:
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ValidationError(_("A submitted report cannot be changed; the DPI can return it for correction."))
    if queries.locked(report, as_of):
        raise ValidationError(_("The period is closed: the report was due on %(d)s.") % {
            "d": format_date(queries.due(report.obligation, report.period).due)})


@transaction.atomic
def save_draft(*, actor, report: Report, data: dict, at: dt.datetime, on: dt.date | None = None,
               version: int | None = None) -> Report:
    """``version``: the one the form was opened with; a stale one raises ``StaleEdit`` (nothing saved)."""
    _require(access.can(actor, "report.edit", report.agency))
    # Its obligation and agency in the same read (the checks and the audit row use both); only the report is locked.
    report = Report.objects.select_for_update(of=("self",)).select_related("obligation", "agency").get(pk=report.pk)
    _editable(report, on or timezone.localdate(at))
    content = _clean(report, data)
    check_version(report, version, unchanged=content == report.draft, kinds=("report.save", "report.create"))
    old, new = audit.diff({"draft": report.draft}, {"draft": content})
    if new:
        report.draft = content
        report.version += 1
        report.save(update_fields=["draft", "version", "updated_at"])  # updated_at: bookkeeping, real time
        audit.record(actor=actor, kind="report.save", target=report, agency=report.agency,
                     new={"tasks": len(content["tasks"]), "indicators": content["indicators"]}, at=at)
    return report


@transaction.atomic
def submit(*, actor, report: Report, at: dt.datetime, on: dt.date | None = None) -> ReportVersion:
    """The agency head sends the report at ``at``: a frozen version; the first submission decides timeliness.
    ``on`` is the day of ``at`` unless a loader replays history."""
    _require(access.can(actor, "report.submit", report.agency))
    report = Report.objects.select_for_update().get(pk=report.pk)
    today = on or timezone.localdate(at)
    _editable(report, today)
    number = report.versions.count() + 1
    version = ReportVersion.objects.create(report=report, number=number, content=report.draft, submitted_by=actor,
                                           submitted_at=at, submitted_on=today)
    before = report.state
    report.state = ReportState.SUBMITTED if before == ReportState.DRAFT else ReportState.RESUBMITTED
    report.first_submitted_on = report.first_submitted_on or today
    report.last_submitted_at = at
    report.save()
    audit.record(actor=actor, kind="report.submit", target=report, agency=report.agency,
                 old={"state": before}, new={"state": report.state, "version": number, "on": today}, at=at)
    return version


@transaction.atomic
def return_report(*, actor, report: Report, reason: str) -> Report:
    _require(access.can(actor, "report.review", report))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state not in (ReportState.SUBMITTED, ReportState.RESUBMITTED):
        raise ValidationError(_("Only a submitted report can be returned."))
    if not reason.strip():
        raise ValidationError(_("Say why the report is returned."))
    before = report.state
    report.state, report.return_reason = ReportState.RETURNED, reason.strip()
    report.save(update_fields=["state", "return_reason", "updated_at"])
    audit.record(actor=actor, kind="report.return", target=report, agency=report.agency,
                 old={"state": before}, new={"state": report.state}, note=report.return_reason)
    return report


@transaction.atomic
def accept(*, actor, report: Report, at: dt.datetime) -> Report:
    _require(access.can(actor, "report.review", report))
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state not in (ReportState.SUBMITTED, ReportState.RESUBMITTED):
        raise ValidationError(_("Only a submitted report can be accepted."))
    before = report.state
    report.state, report.accepted_at = ReportState.ACCEPTED, at
    report.save(update_fields=["state", "accepted_at", "updated_at"])
    audit.record(actor=actor, kind="report.accept", target=report, agency=report.agency,
                 old={"state": before}, new={"state": report.state}, at=at)
    return report


@transaction.atomic
def add_attachment(*, actor, report: Report, uploaded, at: dt.datetime) -> Attachment:
    _require(access.can(actor, "report.edit", report.agency))
    _editable(report, timezone.localdate(at))
    name = Path(uploaded.name.replace("\\", "/")).name[:255] or "file"
    if uploaded.size > MAX_ATTACHMENT:  # before reading it into memory
        raise ValidationError(_("%(name)s is larger than %(mb)s MB.") % {"name": name, "mb": MAX_ATTACHMENT // MB})
    data = uploaded.read()
    content_type = check_upload(name, data, accept=ALLOWED_ATTACHMENTS, max_size=MAX_ATTACHMENT)
    stored = report.attachments.aggregate(total=Sum("size"))["total"] or 0
    if stored + len(data) > MAX_REPORT_ATTACHMENTS:
        raise ValidationError(_("The files attached to one report may not exceed %(mb)s MB in total (%(used)s MB "
                                "already attached).") % {"mb": MAX_REPORT_ATTACHMENTS // MB,
                                                         "used": round(stored / MB, 1)})
    att = Attachment.objects.create(report=report, file=ContentFile(data, name=name), name=name, size=len(data),
                                    content_type=content_type, uploaded_by=actor)
    audit.record(actor=actor, kind="report.attach", target=report, agency=report.agency,
                 new={"file": att.name, "size": att.size}, at=at)
    return att


@transaction.atomic
def recommendation_to_petition(*, actor, report: Report, index: int, at: dt.datetime):
    """The DPI turns a recommendation of a submitted report into a petition, in one step."""
    _require(access.can(actor, "report.review", report))
    version = report.latest_version
    recs = (version.content if version else report.draft).get("recommendations", [])
    if not 0 <= index < len(recs):
        raise ValidationError(_("No such recommendation."))
    from dondoc.petitions.actions import create_from_recommendation

    petition = create_from_recommendation(actor=actor, agency=report.agency, text=recs[index],
                                          source_label=f"Báo cáo {report.agency.code} tháng {report.period:%m/%Y}",
                                          received_on=timezone.localdate(at), at=at)
    audit.record(actor=actor, kind="report.recommendation_to_petition", target=report, agency=report.agency,
                 new={"index": index, "petition": petition.pk}, at=at)
    return petition
