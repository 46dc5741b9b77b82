"""Reminders of the reporting cycle, written to the outbox (idempotent by rule key)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction

from dondoc.accounts.models import Role
from dondoc.core import clock
from dondoc.core.calendar import get_calendar
from dondoc.domain import reporting_cycle as rc
from dondoc.domain.formats import format_date
from dondoc.outbox.actions import enqueue

from . import queries
from .models import Obligation, ReminderTemplate, Report

DEFAULT_TEMPLATES = {
    "before": ("[dondoc] Nhắc báo cáo {program} kỳ {period}: hạn {due}",
               "Kính gửi {agency},\n\nTheo {program}, {agency} báo cáo kết quả thực hiện kỳ {period} gửi {to} "
               "({rule}). Hạn nộp: {due}. Hệ thống chưa nhận được báo cáo của Quý cơ quan.\n\n"
               "Đề nghị Quý cơ quan hoàn thành và gửi báo cáo trên hệ thống dondoc trước thời hạn.\n\n{to}"),
    "after": ("[dondoc] Báo cáo {program} kỳ {period} đã quá hạn ({due})",
              "Kính gửi {agency},\n\nĐến ngày {today}, {to} chưa nhận được báo cáo kỳ {period} theo {program} "
              "(hạn {due}). Đề nghị Quý cơ quan gửi báo cáo ngay.\n\n{to}"),
    "escalate": ("[dondoc] Đề nghị chỉ đạo: {agency} chưa báo cáo kỳ {period}",
                 "Kính gửi Lãnh đạo {agency},\n\nĐến ngày {today}, {agency} chưa gửi báo cáo kỳ {period} theo "
                 "{program} (hạn {due}), dù đã được nhắc. Đề nghị đồng chí chỉ đạo hoàn thành ngay; việc chậm "
                 "báo cáo sẽ được tổng hợp báo cáo UBND tỉnh.\n\n{to}"),
}


class _Safe(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def template(kind: str) -> tuple[str, str]:
    row = ReminderTemplate.objects.filter(kind=kind).first()
    return (row.subject, row.body) if row else DEFAULT_TEMPLATES[kind]


@transaction.atomic
def queue(*, as_of: dt.date, at: dt.datetime | None = None, actor=None) -> Counter:
    """Queue the reminders due on ``as_of`` (business time ``at``, by default ``as_of`` at this time of day).
    Running it twice queues nothing twice."""
    at = at or clock.moment(as_of)
    counts: Counter = Counter()
    heads = get_user_model().objects.filter(memberships__role=Role.AGENCY_HEAD, is_active=True)
    for obligation in Obligation.objects.select_related("program", "to_agency"):
        for period in queries.periods(obligation, as_of + dt.timedelta(days=31)):
            deadline = queries.due(obligation, period)
            schedule = rc.reminder_schedule(deadline.due, get_calendar(), obligation.remind_before or (),
                                            obligation.remind_after, obligation.escalate_after)
            if not schedule or not (schedule[0].on <= as_of <= schedule[-1].on):
                continue
            submitted = set(Report.objects.filter(obligation=obligation, period=period,
                                                  first_submitted_on__lte=as_of).values_list("agency_id", flat=True))
            for agency in queries.reporters(obligation, period):
                if agency.pk in submitted:
                    continue
                reminder = rc.reminder_due(schedule, as_of, deadline.due)
                if reminder is None:
                    continue
                values = _Safe(agency=agency.name, program=obligation.program.number,
                               period=rc.label(obligation.every, period), due=format_date(deadline.due),
                               rule=deadline.explanation, to=obligation.to_agency.name,
                               today=format_date(as_of))
                subject, body = (t.format_map(values) for t in template(reminder.kind))
                key = f"report:{obligation.pk}:{period:%Y-%m}:{agency.code}:{reminder.kind}{reminder.offset}"
                if reminder.kind == rc.ESCALATE:
                    recipients = [(u.email, f"{key}:{u.pk}") for u in heads.filter(memberships__agency=agency)
                                  if u.email]
                else:
                    recipients = [(agency.email, key)] if agency.email else []
                if not recipients:
                    counts["no_address"] += 1
                for email, rule_key in recipients:
                    _, created = enqueue(rule_key=rule_key, recipient=email, subject=subject, body=body,
                                         agency=agency, actor=actor, at=at)
                    counts[reminder.kind if created else "already_queued"] += 1
    return counts
