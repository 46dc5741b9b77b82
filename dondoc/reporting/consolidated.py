"""The DPI's consolidated monthly report to the PPC: data gathered here, formats in dondoc.documents.

A composition module: besides reporting's own sections it imports the sections and annexes of deadlines,
investment and petitions directly (``FEATURE_SECTIONS``), the one place in ``reporting`` that knows other
features. Nothing imports it but reporting's consolidated view, the ``report monthly`` command and the benchmark.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from dondoc.accounts.models import Organisation
from dondoc.deadlines import report as deadlines_report
from dondoc.documents.model import OfficialDocument, Section, Table
from dondoc.documents.spreadsheet import Sheet
from dondoc.domain import reporting_cycle as rc
from dondoc.domain import task_status
from dondoc.domain.formats import format_date, format_percent
from dondoc.investment import report as investment_report
from dondoc.petitions import report as petitions_report
from dondoc.programs.models import ActionProgram, Assignment
from dondoc.programs.queries import current_versions

from . import queries
from .models import Obligation, Report, ReportState

# Other features' parts, in report order: each has section() and annex() over (start, end, as_of).
FEATURE_SECTIONS = (deadlines_report, investment_report, petitions_report)
BUCKET_VI = {
    task_status.DONE_ON_TIME: "Hoàn thành đúng hạn", task_status.DONE_LATE: "Hoàn thành quá hạn",
    task_status.OPEN: "Đang thực hiện, trong hạn", task_status.OVERDUE: "Quá hạn",
    task_status.REGULAR: "Thường xuyên",
}
STATE_VI = {rc.ON_TIME: "Đúng hạn", rc.LATE: "Muộn", rc.MISSING: "Chưa gửi", rc.RETURNED: "Trả lại",
            rc.PENDING: "Chưa đến hạn"}
ACCEPTED_STATES = (ReportState.ACCEPTED,)
FLAGGED_STATES = (ReportState.SUBMITTED, ReportState.RESUBMITTED)


def pct(value) -> str:
    return format_percent(value, None)


def d(day: dt.date | None) -> str:
    return format_date(day)


@dataclass
class Data:
    program: ActionProgram
    obligation: Obligation
    period: dt.date
    as_of: dt.date
    due: object  # workdays.Deadline
    rows: list  # queries.Row for the one period
    reports: dict  # agency_id -> (Report, content, flagged)
    assignments: list[Assignment]


def gather(program: ActionProgram, period: dt.date, as_of: dt.date) -> Data:
    obligation = program.obligations.get(every="month")
    period = rc.period_start(obligation.every, period)
    rows = queries.grid(None, obligation, [period], as_of, everything=True)
    reports = {}
    for r in Report.objects.filter(obligation=obligation, period=period,
                                   state__in=ACCEPTED_STATES + FLAGGED_STATES).select_related("agency"):
        version = r.latest_version
        if version and version.submitted_on <= as_of:
            reports[r.agency_id] = (r, version.content, r.state in FLAGGED_STATES)
    assignments = list(Assignment.objects.filter(task__version__in=current_versions().filter(program=program))
                       .select_related("task", "agency"))
    return Data(program, obligation, period, as_of, queries.due(obligation, period), rows, reports, assignments)


MAX_QUOTES = 2  # agencies quoted per task; the rest are counted (the annex has every agency)


def _results_section(data: Data) -> Section:
    groups: dict[str, list[Assignment]] = defaultdict(list)
    for a in data.assignments:
        groups[a.task.section.split(".")[0]].append(a)
    statements: dict[int, list[str]] = defaultdict(list)
    for report, content, flagged in data.reports.values():
        for t in content.get("tasks", []):
            if t.get("done"):
                done = t["done"].strip().rstrip(".;")
                statements[t["assignment"]].append(f"{report.agency.name}{' (*)' if flagged else ''}: {done}")
    children = []
    for top in sorted(groups, key=lambda g: int(g) if g.isdigit() else 99):
        assignments = groups[top]
        tasks = sorted({a.task for a in assignments}, key=lambda t: t.position)
        by_task = {t.pk: [a for a in assignments if a.task_id == t.pk] for t in tasks}
        rows, paragraphs = [], []
        for s in sorted({t.section for t in tasks}, key=lambda s: [int(x) for x in s.split(".") if x.isdigit()]):
            in_section = [t for t in tasks if t.section == s]
            buckets = Counter(_task_bucket(t, by_task[t.pk], data.as_of) for t in in_section)
            rows.append([s, str(len(in_section))] + [str(buckets.get(b, 0)) for b in task_status.BUCKETS[::-1]])
        for t in tasks:
            quotes = [q for a in by_task[t.pk] for q in statements.get(a.pk, [])]
            if not quotes:
                continue
            bucket = BUCKET_VI[_task_bucket(t, by_task[t.pk], data.as_of)].lower()
            text = f"- Nhiệm vụ {t.key} ({bucket}): "
            if len(quotes) > MAX_QUOTES:
                text += f"{len(quotes)}/{len(by_task[t.pk])} cơ quan được giao đã báo cáo kết quả; tiêu biểu: "
            paragraphs.append(text + "; ".join(quotes[:MAX_QUOTES]) + ".")
        table = Table(["Mục", "Số nhiệm vụ"] + [BUCKET_VI[b] for b in task_status.BUCKETS[::-1]], rows,
                      widths_cm=[1.6, 1.8, 2.6, 2.6, 2.6, 2.0, 2.8], numeric={1, 2, 3, 4, 5, 6})
        children.append(Section(f"Nhóm nhiệm vụ tại mục {top} của Chương trình",
                                paragraphs or ["Chưa có báo cáo kết quả cụ thể của các cơ quan trong kỳ."], [table],
                                tables_first=True))
    flagged = any(f for _, _, f in data.reports.values())
    intro = [f"Tình trạng nhiệm vụ tính đến ngày {d(data.as_of)} (theo thời hạn của Chương trình và các lần gia hạn "
             "đã được chấp thuận); chi tiết từng cơ quan tại Phụ lục kèm theo."]
    if flagged:
        intro.append("(*) Nội dung từ báo cáo đã gửi nhưng Sở Kế hoạch và Đầu tư chưa chấp nhận.")
    return Section("KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ", intro, [], children)


def _task_bucket(task, assignments, as_of):
    leads = [task_status.bucket(a.deadline, a.completed_on, as_of) for a in assignments if a.role == "lead"]
    return task_status.rollup(leads, deadline=task.deadline, as_of=as_of)


def _discipline_section(data: Data) -> Section:
    rates = queries.column_rates(data.rows, 0)
    states = Counter(r.cells[0].state for r in data.rows)
    late = [r for r in data.rows if r.cells[0].state == rc.LATE]
    missing = [r for r in data.rows if r.cells[0].state == rc.MISSING]
    returned = [r for r in data.rows if r.cells[0].state == rc.RETURNED]
    label = rc.label(data.obligation.every, data.period)
    paras = [
        f"Kỳ báo cáo tháng {label} (hạn {d(data.due.due)}, {data.due.rule}): {len(data.rows)} cơ quan, đơn vị phải "
        f"báo cáo; {rates.submitted} cơ quan đã gửi (tỷ lệ đầy đủ {pct(rates.completeness)}), trong đó "
        f"{rates.on_time} cơ quan gửi đúng hạn (tỷ lệ đúng hạn {pct(rates.timeliness)}); {states[rc.LATE]} cơ quan "
        f"gửi muộn; {states[rc.MISSING]} cơ quan chưa gửi; {states[rc.RETURNED]} báo cáo bị trả lại để hoàn thiện.",
    ]
    if late:
        paras.append("Các cơ quan gửi báo cáo muộn: " + "; ".join(
            f"{r.agency.name} ({d(r.cells[0].report.first_submitted_on)})" for r in late) + ".")
    if missing:
        paras.append("Các cơ quan chưa gửi báo cáo: " + "; ".join(r.agency.name for r in missing) + ".")
    if returned:
        paras.append("Báo cáo trả lại chưa gửi lại: " + "; ".join(r.agency.name for r in returned) + ".")
    table_rows = []
    for i, r in enumerate(data.rows, start=1):
        cell = r.cells[0]
        table_rows.append([str(i), r.agency.name, d(cell.report.first_submitted_on) if cell.report else "",
                           STATE_VI[cell.state]])
    return Section("TÌNH HÌNH CHẤP HÀNH CHẾ ĐỘ BÁO CÁO", paras,
                   [Table(["STT", "Cơ quan, đơn vị", "Ngày gửi", "Tình trạng"], table_rows,
                          widths_cm=[1.2, 8.8, 3.0, 3.0], numeric={0})])


def _difficulties_section(data: Data) -> Section:
    paras = []
    for _agency_id, (report, content, flagged) in sorted(data.reports.items(), key=lambda x: x[1][0].agency.code):
        items = [content.get("difficulties", "")] + [t.get("difficulties", "") for t in content.get("tasks", [])]
        items = list(dict.fromkeys(i.strip().rstrip(".") for i in items if i and i.strip()))  # each once
        recs = [r.strip().rstrip(".") for r in content.get("recommendations", [])]
        if items or recs:
            mark = " (*)" if flagged else ""
            text = f"- {report.agency.name}{mark}: " + (". ".join(items) + "." if items else "")
            if recs:
                text += " Kiến nghị: " + "; ".join(recs) + "."
            paras.append(text)
    return Section("KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ CỦA CÁC CƠ QUAN, ĐƠN VỊ",
                   paras or ["Trong kỳ, các cơ quan, đơn vị không phản ánh khó khăn, vướng mắc."])


def _proposals_section(data: Data) -> Section:
    overdue = Counter(a.agency.name for a in data.assignments
                      if task_status.bucket(a.deadline, a.completed_on, data.as_of) == task_status.OVERDUE)
    missing = [r.agency.name for r in data.rows if r.cells[0].state in (rc.MISSING, rc.LATE)]
    paras = []
    if missing:
        paras.append("Đề nghị UBND tỉnh nhắc nhở, phê bình các cơ quan, đơn vị chưa thực hiện nghiêm chế độ báo cáo: "
                     + "; ".join(missing) + ".")
    if overdue:
        top = "; ".join(f"{name} ({n} nhiệm vụ)" for name, n in overdue.most_common(10))
        paras.append("Đề nghị UBND tỉnh chỉ đạo các cơ quan, đơn vị còn nhiệm vụ quá hạn khẩn trương hoàn thành: "
                     + top + ".")
    paras.append("Sở Kế hoạch và Đầu tư tiếp tục theo dõi, đôn đốc các cơ quan, đơn vị thực hiện Chương trình và "
                 "tổng hợp, báo cáo UBND tỉnh theo quy định.")
    return Section("ĐỀ XUẤT, KIẾN NGHỊ", paras)


def build(program: ActionProgram, period: dt.date, *, as_of: dt.date, date: dt.date,
          number: int | None = None) -> OfficialDocument:
    data = gather(program, period, as_of)
    org = Organisation.on(date) or Organisation.objects.order_by("-valid_from").first()
    label = rc.label(data.obligation.every, data.period)
    sections = [_results_section(data), _discipline_section(data)]
    start, end = data.period, rc.add_months(data.period, rc.MONTHS[data.obligation.every]) - dt.timedelta(days=1)
    for feature in FEATURE_SECTIONS:
        extra = feature.section(start=start, end=end, as_of=as_of)
        if extra:
            sections.append(extra)
    sections += [_difficulties_section(data), _proposals_section(data)]
    issued = f" ngày {d(program.issued_on)}" if program.issued_on else ""
    return OfficialDocument(
        parent_body=org.parent_body, issuing_body=org.issuing_body, type_code="BC",
        issuer_abbreviation=org.issuer_abbreviation, number=number, place=org.place_name, date=date,
        type_title="BÁO CÁO",
        summary=f"Kết quả thực hiện Chương trình hành động số {program.number}{issued} tháng {label}",
        opening=[f"Thực hiện Chương trình hành động số {program.number}{issued} của UBND tỉnh; trên cơ sở báo cáo "
                 f"của các cơ quan, đơn vị, {org.issuing_body.capitalize()} tổng hợp kết quả thực hiện tháng {label} "
                 "như sau:"],
        sections=sections, recipients=list(org.default_recipients), signer_authority=org.signer_authority,
        signer_title=org.signer_title, signer_name=org.signer_name,
    )


def annex(program: ActionProgram, period: dt.date, *, as_of: dt.date) -> list[Sheet]:
    data = gather(program, period, as_of)
    label = rc.label(data.obligation.every, data.period)
    status = Sheet("Tình hình báo cáo", ["STT", "Mã", "Cơ quan, đơn vị", "Hạn", "Ngày gửi lần đầu", "Đúng hạn",
                                         "Tình trạng"], [],
                   heading=f"Tình hình báo cáo kỳ {label} — tính đến {d(as_of)}", widths={2: 44, 6: 16})
    for i, r in enumerate(data.rows, start=1):
        cell = r.cells[0]
        first = cell.report.first_submitted_on if cell.report else None
        status.rows.append([i, r.agency.code, r.agency.name, d(cell.due), d(first),
                            "Có" if cell.state == rc.ON_TIME else ("Không" if first else ""), STATE_VI[cell.state]])
    buckets = task_status.BUCKETS[::-1]
    tasks = Sheet("Nhiệm vụ theo cơ quan", ["Mã", "Cơ quan, đơn vị", "Mục", "Số nhiệm vụ"] +
                  [BUCKET_VI[b] for b in buckets], [], heading=f"Tình trạng nhiệm vụ theo cơ quan — {d(as_of)}",
                  widths={1: 44})
    grouped: dict[tuple, Counter] = defaultdict(Counter)
    for a in data.assignments:
        grouped[(a.agency.code, a.agency.name, a.task.section)][task_status.bucket(a.deadline, a.completed_on, as_of)] += 1
    for (code, name, section), counts in sorted(grouped.items()):
        tasks.rows.append([code, name, section, sum(counts.values())] + [counts.get(b, 0) for b in buckets])
    indicators = Sheet("Chỉ tiêu", ["Mã", "Cơ quan, đơn vị", "Chỉ tiêu", "Đơn vị tính", "Giá trị", "Ghi chú"], [],
                       heading=f"Chỉ tiêu định lượng kỳ {label}", widths={1: 40, 2: 50}, number_formats={4: "#,##0"})
    for ind in data.obligation.indicators.select_related("agency"):
        entry = data.reports.get(ind.agency_id)
        value = entry[1].get("indicators", {}).get(ind.code) if entry else None
        indicators.rows.append([ind.agency.code, ind.agency.name, ind.name, ind.unit, value,
                                "chưa được chấp nhận" if entry and entry[2] else ""])
    sheets = [status, tasks, indicators]
    start, end = data.period, rc.add_months(data.period, rc.MONTHS[data.obligation.every]) - dt.timedelta(days=1)
    for feature in FEATURE_SECTIONS:
        sheets += feature.annex(start=start, end=end, as_of=as_of)
    return sheets
