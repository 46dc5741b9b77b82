"""Demo reports of 07–11/2020 for the seed program, as they would stand on the demo date (synthetic)."""

from __future__ import annotations

import datetime as dt
import zlib

from django.contrib.auth import get_user_model
from django.db import transaction

from dondoc.accounts.models import Agency, Role
from dondoc.core import clock
from dondoc.domain import reporting_cycle as rc
from dondoc.domain.formats import format_date

from . import actions, queries
from .models import Indicator, Obligation, Report

INDICATORS = [
    ("NHNN", "restructured_customers", "Số khách hàng được cơ cấu lại nợ", "khách hàng", "count", "1.4"),
    ("NHNN", "restructured_amount", "Dư nợ được cơ cấu lại", "triệu đồng", "count", "1.4"),
    ("SLDTBXH", "nq42_people", "Số người được hỗ trợ theo Nghị quyết 42/NQ-CP", "người", "count", "3.3"),
    ("SLDTBXH", "nq42_paid", "Số tiền đã chi hỗ trợ theo Nghị quyết 42/NQ-CP", "triệu đồng", "count", "3.3"),
    ("CT", "tax_deferred", "Số thuế, tiền thuê đất được gia hạn", "triệu đồng", "count", "1.3"),
    ("SLDTBXH", "job_fairs", "Số phiên giao dịch việc làm", "phiên", "count", "3.3"),
]
DONE = [
    "Đã ban hành văn bản chỉ đạo, giao nhiệm vụ cụ thể cho các phòng, đơn vị trực thuộc.",
    "Đã tổ chức hội nghị đối thoại với doanh nghiệp, tiếp nhận 12 kiến nghị.",
    "Đã rà soát, tổng hợp số liệu và báo cáo theo yêu cầu.",
    "Đã hướng dẫn các chủ đầu tư hoàn thiện hồ sơ thanh toán khối lượng hoàn thành.",
]
DIFFICULTIES = [
    "Công tác giải phóng mặt bằng một số dự án còn vướng mắc.",
    "Một số doanh nghiệp chưa đủ điều kiện tiếp cận chính sách hỗ trợ.",
    "",
    "",
]


def _user(agency, role):
    return get_user_model().objects.filter(memberships__agency=agency, memberships__role=role).first()


def _roll(*parts) -> int:
    return zlib.crc32(":".join(map(str, parts)).encode()) % 100


@transaction.atomic
def load(*, actor=None, as_of: dt.date, **_) -> list[str]:
    obligation = Obligation.objects.filter(program__number="07/CTr-UBND", every="month").first()
    if obligation is None:
        return ["demo reports: no obligation (the seed program is not loaded)"]
    for pos, (code, key, name, unit, kind, task) in enumerate(INDICATORS):
        agency = Agency.objects.filter(code=code).first()
        if agency:
            Indicator.objects.get_or_create(obligation=obligation, agency=agency, code=key,
                                            defaults={"name": name, "unit": unit, "kind": kind, "task_key": task,
                                                      "position": pos})
    if Report.objects.filter(obligation=obligation).exists():
        return [f"demo reports: already loaded ({Report.objects.filter(obligation=obligation).count()} reports)"]
    admin = get_user_model().objects.filter(username="admin").first()
    made, at = 0, clock.moment(as_of)
    for period in rc.periods("month", dt.date(2020, 7, 1), dt.date(2020, 11, 1)):
        due = queries.due(obligation, period).due
        for agency in queries.reporters(obligation, period):
            officer, head = _user(agency, Role.AGENCY_OFFICER), _user(agency, Role.AGENCY_HEAD)
            roll = _roll(agency.code, period)
            if officer is None or head is None or roll >= 92:
                continue  # about 8% never report
            offset = -(roll % 9) - 1 if roll < 72 else (roll % 7) + 1  # about 72% on time, the rest late
            submitted_on = due + dt.timedelta(days=offset)
            drafted_on = min(submitted_on, due) - dt.timedelta(days=2)
            if drafted_on > as_of:
                continue
            report = actions.open_report(actor=officer, obligation=obligation, agency=agency, period=period)
            tasks = [{**t, "done": DONE[(roll + i) % len(DONE)], "difficulties": DIFFICULTIES[(roll + i) % 4]}
                     for i, t in enumerate(report.draft["tasks"])]
            values = {ind.code: 50 + (roll * (i + 3)) % 400
                      for i, ind in enumerate(obligation.indicators.filter(agency=agency))}
            recs = ["Đề nghị UBND tỉnh chỉ đạo tháo gỡ vướng mắc giải phóng mặt bằng các dự án trọng điểm."] \
                if roll % 5 == 0 else []
            actions.save_draft(actor=officer, report=report, on=drafted_on, data={
                "tasks": tasks, "indicators": values, "recommendations": recs,
                "difficulties": DIFFICULTIES[roll % 4]}, at=at)
            made += 1
            if submitted_on > as_of:
                continue  # still a draft on the demo date
            actions.submit(actor=head, report=report, on=submitted_on, at=at)
            if admin and roll % 10 == 3 and submitted_on + dt.timedelta(days=2) <= as_of:
                actions.return_report(actor=admin, report=report,
                                      reason="Đề nghị bổ sung số liệu chỉ tiêu và kết quả cụ thể từng nhiệm vụ.")
                if roll % 20 == 3 and submitted_on + dt.timedelta(days=5) <= as_of:
                    actions.submit(actor=head, report=report, on=submitted_on + dt.timedelta(days=5), at=at)
            elif admin and period < rc.period_start("month", as_of):
                actions.accept(actor=admin, report=report, at=at)
    return [f"demo reports: {made} reports of 07–11/2020 as of {format_date(as_of)}"]
