"""The time-limit part of the DPI's monthly report (seed 2.1.h appraisal, 2.2 Treasury payment)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q

from dondoc.documents.model import Section, Table
from dondoc.documents.spreadsheet import Sheet
from dondoc.domain import sla
from dondoc.domain.formats import format_date, format_percent

from .models import Dossier
from .queries import States


def _pct(rate: sla.Rate) -> str:
    return format_percent(rate.percent, None)


def _figures(start: dt.date, end: dt.date, as_of: dt.date) -> dict[tuple[str, str], list[int]]:
    """(type, agency) -> [on time, completed in start..end, overdue as of as_of]: one grouped query."""
    states = States(Dossier.objects.all(), as_of)
    done = Q(completed_on__gte=start, completed_on__lte=min(end, as_of), due_on__isnull=False)
    grouped = Dossier.objects.filter(received_on__lte=as_of).order_by().values("type__name", "agency__name").annotate(
        ok=Count("pk", filter=done & Q(completed_on__lte=F("due_on"))), done=Count("pk", filter=done),
        overdue=Count("pk", filter=states.q(sla.OVERDUE)),
    )
    return {(g["type__name"], g["agency__name"]): [g["ok"], g["done"], g["overdue"]]
            for g in grouped if g["done"] or g["overdue"]}


def section(*, start: dt.date, end: dt.date, as_of: dt.date) -> Section | None:
    per = _figures(start, end, as_of)
    if not per:
        return None
    rows, on_time, completed, overdue = [], 0, 0, 0
    for (type_name, agency), (ok, done, late_open) in sorted(per.items()):
        rows.append([type_name, agency, str(done), str(ok), _pct(sla.Rate(ok, done)), str(late_open)])
        on_time, completed, overdue = on_time + ok, completed + done, overdue + late_open
    total = sla.Rate(on_time, completed)
    paras = [f"Từ ngày {format_date(start)} đến ngày {format_date(end)}, các cơ quan đã giải quyết {completed} hồ sơ thẩm "
             f"định, thanh toán, trong đó {on_time} hồ sơ đúng thời hạn (tỷ lệ {_pct(total)}); đến ngày "
             f"{format_date(as_of)} còn {overdue} hồ sơ quá hạn chưa giải quyết."]
    table = Table(["Loại hồ sơ", "Cơ quan", "Đã giải quyết", "Đúng hạn", "Tỷ lệ", "Quá hạn đang giải quyết"], rows,
                  widths_cm=[3.2, 5.0, 2.0, 1.8, 1.8, 2.2], numeric={2, 3, 4, 5})
    return Section("THỰC HIỆN THỜI HẠN THẨM ĐỊNH, THANH TOÁN", paras, [table])


def annex(*, start: dt.date, end: dt.date, as_of: dt.date) -> list[Sheet]:
    per = _figures(start, end, as_of)
    if not per:
        return []
    rows = [[t, a, done, ok, float(sla.Rate(ok, done).percent) if done else None, late]
            for (t, a), (ok, done, late) in sorted(per.items())]
    return [Sheet("Thời hạn hồ sơ", ["Loại hồ sơ", "Cơ quan", "Đã giải quyết", "Đúng hạn", "Tỷ lệ %",
                                     "Quá hạn đang giải quyết"], rows,
                  heading=f"Giải quyết hồ sơ từ {format_date(start)} đến {format_date(end)}", widths={0: 28, 1: 40})]
