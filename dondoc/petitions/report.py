"""The petitions part of the DPI's consolidated monthly report, and its Excel annex.

For the period ``start``..``end`` with figures as of ``as_of``:
- received: petitions received in the period (duplicates merged into another are counted once, by the main one);
- answered: answers given in the period, on time (on or before the due date) or late;
- overdue: petitions not answered by ``as_of`` whose due date has passed;
by lead agency (the agency responsible now; the one that answered for answered petitions).
No petitioner's contact or tax code ever enters the report (personal data).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from babel.numbers import format_decimal

from dondoc.documents.model import Section, Table
from dondoc.documents.spreadsheet import Sheet
from dondoc.domain import petition_clock
from dondoc.domain.formats import format_date

from . import queries
from .models import Channel, Petition, State

TITLE = "Tiếp nhận, xử lý khó khăn, kiến nghị của doanh nghiệp"


def _d(day: dt.date | None) -> str:
    return format_date(day)


def _pct(part: int, whole: int) -> str:
    return format_decimal(round(100 * part / whole, 1), format="#,##0.0", locale="vi") + "%" if whole else "—"


@dataclass
class AgencyFigures:
    received: int = 0
    on_time: int = 0
    late: int = 0
    waiting: int = 0
    overdue: int = 0


@dataclass
class Figures:
    received: list[Petition]
    answered: list[Petition]
    late: list[Petition]
    overdue: list[queries.Row]
    waiting: list[queries.Row]
    escalated: int
    by_agency: dict[str, AgencyFigures] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.received or self.answered or self.waiting)


def _is_late(p: Petition) -> bool:
    return p.due_on is not None and p.answered_on is not None and p.answered_on > p.due_on


def figures(*, start: dt.date, end: dt.date, as_of: dt.date) -> Figures:
    last = min(end, as_of)
    base = Petition.objects.exclude(state=State.MERGED).select_related(
        "category", "lead_agency", "answered_by_agency")
    received = list(base.filter(received_on__gte=start, received_on__lte=last).order_by("received_on", "reference"))
    answered = list(base.filter(answered_on__gte=start, answered_on__lte=last).order_by("answered_on", "reference"))
    waiting = queries.deadline_rows(base, as_of, petition_clock.OVERDUE, petition_clock.DUE_SOON,
                                    petition_clock.ON_TRACK)
    f = Figures(received=received, answered=answered, late=[p for p in answered if _is_late(p)],
                overdue=[r for r in waiting if r.state == petition_clock.OVERDUE], waiting=waiting,
                escalated=base.filter(state=State.ESCALATED, received_on__lte=as_of).count())
    by = defaultdict(AgencyFigures)

    def key(agency) -> str | None:
        if agency is None:
            return None
        f.names[agency.code] = agency.name_on(end)
        return agency.code

    for p in received:
        if (k := key(p.lead_agency)) is not None:
            by[k].received += 1
    for p in answered:
        if (k := key(p.answered_by_agency or p.lead_agency)) is not None:
            if _is_late(p):
                by[k].late += 1
            else:
                by[k].on_time += 1
    for r in waiting:
        k = key(r.petition.lead_agency)
        by[k].waiting += 1
        by[k].overdue += r.state == petition_clock.OVERDUE
    f.by_agency = dict(sorted(by.items()))
    return f


def _agency_table(f: Figures) -> Table:
    rows, totals = [], AgencyFigures()
    for i, (code, a) in enumerate(f.by_agency.items(), start=1):
        rows.append([str(i), f.names[code], str(a.received), str(a.on_time), str(a.late), str(a.waiting),
                     str(a.overdue)])
        for name in ("received", "on_time", "late", "waiting", "overdue"):
            setattr(totals, name, getattr(totals, name) + getattr(a, name))
    rows.append(["", "Tổng cộng", str(totals.received), str(totals.on_time), str(totals.late), str(totals.waiting),
                 str(totals.overdue)])
    return Table(
        headers=["STT", "Cơ quan chủ trì", "Tiếp nhận trong kỳ", "Trả lời đúng hạn", "Trả lời quá hạn",
                 "Đang xử lý", "Trong đó quá hạn"],
        rows=rows, widths_cm=[1.0, 5.5, 2.0, 2.0, 2.0, 2.0, 2.0], numeric={2, 3, 4, 5, 6},
        bold_rows={len(rows) - 1},
    )


def section(*, start: dt.date, end: dt.date, as_of: dt.date) -> Section | None:
    f = figures(start=start, end=end, as_of=as_of)
    if f.empty:
        return None
    by_category = Counter(p.category.name for p in f.received)
    paragraphs = []
    text = f"Từ ngày {_d(start)} đến ngày {_d(min(end, as_of))}, Sở Kế hoạch và Đầu tư tiếp nhận {len(f.received)} " \
           "khó khăn, kiến nghị"
    if f.received:
        cats = "; ".join(f"{name}: {n}" for name, n in by_category.most_common())
        channels = Counter(p.channel for p in f.received)
        text += f" ({cats}), trong đó {channels.get(Channel.MEETING, 0)} kiến nghị tại hội nghị đối thoại doanh " \
                f"nghiệp, {channels.get(Channel.AGENCY_REPORT, 0)} kiến nghị từ báo cáo của các cơ quan"
    paragraphs.append(text + ".")
    if f.answered:
        on_time = len(f.answered) - len(f.late)
        paragraphs.append(
            f"Trong kỳ, các cơ quan đã trả lời {len(f.answered)} kiến nghị, trong đó {on_time} kiến nghị đúng hạn "
            f"({_pct(on_time, len(f.answered))}) và {len(f.late)} kiến nghị quá hạn.")
    else:
        paragraphs.append("Trong kỳ, chưa có kiến nghị nào được trả lời.")
    tail = f"Đến ngày {_d(as_of)}, còn {len(f.waiting)} kiến nghị đang được xử lý, trong đó {len(f.overdue)} " \
           "kiến nghị đã quá hạn trả lời"
    if f.escalated:
        tail += f"; {f.escalated} kiến nghị đã chuyển UBND tỉnh xem xét, quyết định"
    paragraphs.append(tail + ".")
    tables = [_agency_table(f)] if f.by_agency else []
    children = []
    if f.overdue:
        rows = [[str(i), r.petition.reference, r.petition.subject, f.names.get(r.petition.lead_agency.code, ""),
                 _d(r.petition.due_on), str(r.status.days_late)] for i, r in enumerate(f.overdue, start=1)]
        children.append(Section(
            title="Danh sách kiến nghị quá hạn trả lời",
            paragraphs=["Đề nghị các cơ quan chủ trì khẩn trương trả lời doanh nghiệp, báo cáo kết quả về Sở Kế "
                        "hoạch và Đầu tư để tổng hợp báo cáo UBND tỉnh."],
            tables=[Table(headers=["STT", "Số", "Nội dung", "Cơ quan chủ trì", "Hạn trả lời", "Số ngày làm việc quá hạn"],
                          rows=rows, widths_cm=[1.0, 2.4, 6.0, 3.6, 2.2, 1.8], numeric={5})],
        ))
    return Section(title=TITLE, paragraphs=paragraphs, tables=tables, children=children)


STATE_VI = {
    State.RECEIVED: "Đã tiếp nhận", State.ASSIGNED: "Đã giao xử lý", State.IN_PROGRESS: "Đang xử lý",
    State.ANSWERED: "Đã trả lời", State.PUBLISHED: "Đã công khai trả lời", State.CLOSED: "Đã kết thúc",
    State.ESCALATED: "Đã chuyển UBND tỉnh", State.MERGED: "Đã gộp",
}
CLOCK_VI = {petition_clock.OVERDUE: "quá hạn", petition_clock.DUE_SOON: "sắp đến hạn",
            petition_clock.ON_TRACK: "trong hạn", petition_clock.ON_TIME: "đúng hạn", petition_clock.LATE: "quá hạn",
            petition_clock.ANSWERED: "", petition_clock.NO_DEADLINE: ""}
CHANNEL_VI = {Channel.LETTER: "Văn bản", Channel.MEETING: "Hội nghị đối thoại doanh nghiệp",
              Channel.HOTLINE: "Đường dây nóng", Channel.AGENCY_REPORT: "Báo cáo của cơ quan",
              Channel.EMAIL: "Thư điện tử"}


def annex(*, start: dt.date, end: dt.date, as_of: dt.date) -> list[Sheet]:
    f = figures(start=start, end=end, as_of=as_of)
    if f.empty:
        return []
    listed = {p.pk: p for p in [*f.received, *f.answered, *(r.petition for r in f.waiting)]}
    cal = queries.work_calendar()
    rows = []
    for i, p in enumerate(sorted(listed.values(), key=lambda p: (p.received_on, p.reference)), start=1):
        s = queries.status(p, as_of, cal)
        state = STATE_VI[State(p.state)] if p.answered_on is None or p.answered_on <= as_of else "Đang xử lý"
        rows.append([i, p.reference, p.received_on, CHANNEL_VI[Channel(p.channel)], p.category.name, p.business_name,
                     p.subject, p.lead_agency.name_on(end) if p.lead_agency else "", p.due_on,
                     p.answered_on if p.answered_on and p.answered_on <= as_of else None,
                     f"{state}{', ' + CLOCK_VI[s.state] if CLOCK_VI[s.state] else ''}", p.task.key if p.task else "",
                     p.project_code])
    date_cols = {2: "DD/MM/YYYY", 8: "DD/MM/YYYY", 9: "DD/MM/YYYY"}
    heading = f"Khó khăn, kiến nghị của doanh nghiệp từ {_d(start)} đến {_d(min(end, as_of))} (số liệu đến {_d(as_of)})"
    list_sheet = Sheet(
        title="Kiến nghị", heading=heading,
        headers=["STT", "Số", "Ngày tiếp nhận", "Kênh", "Lĩnh vực", "Doanh nghiệp / cơ quan", "Nội dung",
                 "Cơ quan chủ trì", "Hạn trả lời", "Ngày trả lời", "Tình trạng", "Nhiệm vụ", "Dự án"],
        rows=rows, number_formats=date_cols, widths={0: 6, 1: 13, 5: 28, 6: 48, 7: 28, 10: 22},
    )
    agency_rows = [[i, f.names[code], a.received, a.on_time, a.late, a.waiting, a.overdue]
                   for i, (code, a) in enumerate(f.by_agency.items(), start=1)]
    agency_sheet = Sheet(
        title="Theo cơ quan", heading=heading,
        headers=["STT", "Cơ quan chủ trì", "Tiếp nhận trong kỳ", "Trả lời đúng hạn", "Trả lời quá hạn",
                 "Đang xử lý", "Trong đó quá hạn"],
        rows=agency_rows, widths={1: 40},
    )
    return [list_sheet, agency_sheet]
