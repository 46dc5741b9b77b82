"""The disbursement part of the DPI's consolidated monthly report (dondoc.reporting collects it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dondoc.documents.model import Section, Table
from dondoc.documents.spreadsheet import Sheet
from dondoc.domain import disbursement as rules_mod
from dondoc.domain.formats import format_date, format_money

from . import queries

MILLION = Decimal(1_000_000)


def _m(dong: int) -> str:
    return format_money(dong)


def _d(day: dt.date) -> str:
    return format_date(day)


def _denominator_vi(denominator: str) -> str:
    return "Thủ tướng Chính phủ giao" if denominator == rules_mod.TTG else "HĐND, UBND tỉnh giao"


def section(*, start: dt.date, end: dt.date, as_of: dt.date) -> Section | None:
    """Figures as of ``as_of``; what was disbursed in start..end; milestones, cut list, commitments."""
    ev = queries.evaluate(year=as_of.year, as_of=as_of, everything=True)
    if not ev.investors:
        return None
    pct = rules_mod.pct_vi
    period = queries.disbursed_amounts(ev.year, min(end, as_of), since=start)
    in_period = sum(period.values())
    other = "Thủ tướng Chính phủ giao" if ev.denominator == rules_mod.TINH else "HĐND, UBND tỉnh giao"
    paras = [
        f"Kế hoạch vốn đầu tư công năm {ev.year} ({_denominator_vi(ev.denominator)}) là {_m(ev.province.plan)} "
        f"triệu đồng; vốn các năm trước kéo dài sang năm {ev.year} là {_m(ev.extended.plan)} triệu đồng.",
        f"Lũy kế giải ngân đến ngày {_d(as_of)}: kế hoạch vốn năm {ev.year} giải ngân {_m(ev.province.disbursed)} "
        f"triệu đồng, đạt {pct(ev.province.rate)} kế hoạch ({pct(ev.other_denominator.rate)} kế hoạch {other}); "
        f"vốn kéo dài giải ngân {_m(ev.extended.disbursed)} triệu đồng, đạt {pct(ev.extended.rate)}. Trong kỳ báo "
        f"cáo (từ ngày {_d(start)} đến ngày {_d(min(end, as_of))}) giải ngân {_m(in_period)} triệu đồng.",
    ]
    m = ev.next_milestone
    if m is not None and ev.milestone_gap:
        missing, pace = ev.milestone_gap
        if missing:
            paras.append(f"So với mục tiêu {m.target_vi()} kế hoạch vốn đến ngày {_d(m.due)} (mục {m.task} của "
                         f"Chương trình): còn thiếu {_m(missing)} triệu đồng; cần giải ngân bình quân {_m(pace)} "
                         f"triệu đồng/tháng.")
        else:
            paras.append(f"Đã đạt mục tiêu {m.target_vi()} kế hoạch vốn đến ngày {_d(m.due)} (mục {m.task}).")
    ext = ev.rules.checked(rules_mod.EXTENDED, as_of)
    if ext is not None and ev.extended.plan:
        behind = [r for r in ev.investors if r.extended.plan and any(
            f.rule == rules_mod.MILESTONE and f.extra.get("capital") == rules_mod.EXTENDED for f in r.findings)]
        paras.append(f"Vốn kéo dài (mục tiêu {ext.target_vi()} đến ngày {_d(ext.due)}): {len(behind)} chủ đầu tư "
                     f"chưa đạt" + (": " + "; ".join(f"{r.investor.name} ({pct(r.extended.rate)})" for r in behind)
                                    if behind else "") + ".")
    cut = [f for f in ev.findings if f.rule == rules_mod.CUT]
    if cut and ev.rules.cut:
        paras.append(f"Các chủ đầu tư có tỷ lệ giải ngân dưới {rules_mod.target_vi(ev.rules.cut.percent)} kế hoạch "
                     f"vốn tại ngày {_d(ev.rules.cut.due)}, thuộc diện cắt giảm kế hoạch vốn để điều chuyển cho các "
                     f"dự án giải ngân tốt (mục {ev.rules.cut.task}): "
                     + "; ".join(f"{f.code_or_name} ({pct(f.rate)})" for f in cut) + ".")
    behind = [r for r in ev.projects if r.behind]
    if behind:
        paras.append(f"Có {len(behind)} dự án giải ngân chậm so với tiến độ chủ đầu tư đã cam kết (chi tiết tại "
                     f"phụ lục).")
    lowest = sorted((r for r in ev.investors if r.current.rate is not None), key=lambda r: r.current.rate)[:10]
    table = Table(
        headers=["STT", "Chủ đầu tư", "Kế hoạch (triệu đồng)", "Giải ngân (triệu đồng)", "Tỷ lệ"],
        rows=[[str(i), r.investor.name, _m(r.current.plan), _m(r.current.disbursed), pct(r.current.rate)]
              for i, r in enumerate(lowest, start=1)],
        widths_cm=[1.0, 7.0, 3.0, 3.0, 2.0], numeric={0, 2, 3, 4})
    return Section("TÌNH HÌNH GIẢI NGÂN VỐN ĐẦU TƯ CÔNG", paras, [table] if lowest else [])


def annex(*, start: dt.date, end: dt.date, as_of: dt.date) -> list[Sheet]:
    ev = queries.evaluate(year=as_of.year, as_of=as_of, everything=True)
    if not ev.investors:
        return []

    def tr(dong: int) -> float:
        return float(Decimal(dong) / MILLION)

    def rate(value) -> float | None:
        return float(value) / 100 if value is not None else None

    flags = {rules_mod.CUT: "cắt giảm", rules_mod.MILESTONE: "chưa đạt mốc"}
    investors = Sheet(
        title="Giải ngân theo chủ đầu tư",
        heading=f"TÌNH HÌNH GIẢI NGÂN VỐN ĐẦU TƯ CÔNG ĐẾN NGÀY {_d(as_of)} (đơn vị: triệu đồng)",
        headers=["STT", "Chủ đầu tư", "Cơ quan", "Kế hoạch năm", "Giải ngân", "Tỷ lệ", "Vốn kéo dài",
                 "Giải ngân vốn kéo dài", "Tỷ lệ vốn kéo dài", "Ghi chú"],
        rows=[[i, r.investor.name, r.investor.agency.code if r.investor.agency else "", tr(r.current.plan),
               tr(r.current.disbursed), rate(r.current.rate), tr(r.extended.plan), tr(r.extended.disbursed),
               rate(r.extended.rate), ", ".join(sorted({flags[f.rule] for f in r.findings if f.rule in flags}))]
              for i, r in enumerate(ev.investors, start=1)],
        number_formats={3: "#,##0.0", 4: "#,##0.0", 5: "0.00%", 6: "#,##0.0", 7: "#,##0.0", 8: "0.00%"},
        widths={1: 40, 9: 20})
    behind = [r for r in ev.projects if r.behind]
    projects = Sheet(
        title="Dự án chậm so với cam kết",
        heading=f"DỰ ÁN GIẢI NGÂN CHẬM SO VỚI TIẾN ĐỘ CAM KẾT ĐẾN NGÀY {_d(as_of)} (đơn vị: triệu đồng)",
        headers=["STT", "Mã dự án", "Tên dự án", "Chủ đầu tư", "Lãnh đạo phụ trách", "Cam kết đến nay", "Giải ngân",
                 "Chênh lệch"],
        rows=[[i, r.project.code, r.project.name, r.project.investor.name, r.project.leader,
               tr(r.committed_to_date), tr(r.total.disbursed), tr(r.total.disbursed - r.committed_to_date)]
              for i, r in enumerate(behind, start=1)],
        number_formats={5: "#,##0.0", 6: "#,##0.0", 7: "#,##0.0"}, widths={2: 40, 3: 30, 4: 24})
    return [investors, projects]
