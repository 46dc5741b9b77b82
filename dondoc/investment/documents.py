"""Investment documents: a reallocation proposal's draft Tờ trình to the PPC (.docx) and its annex (.xlsx), from the
analysis (``domain.reallocation_analysis.Analysis``); the emulation and criticism lists (.xlsx). Bytes through the
``dondoc.documents`` builders; only the organisation settings (headings, signer) are read here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from dondoc.domain.emulation import Lists
from dondoc.domain.formats import format_date, format_money
from dondoc.domain.reallocation_analysis import UNIT, Analysis

ANNEX_HEADERS = ["STT", "Dự án điều chuyển giảm", "Chủ đầu tư", "Dự án điều chuyển tăng", "Chủ đầu tư",
                 "Nguồn vốn", "Cấp ngân sách", "Năm vốn", "Số tiền (triệu đồng)", "Lý do"]
LEVEL_VI = {"central": "Ngân sách trung ương", "province": "Ngân sách tỉnh", "district": "Ngân sách huyện"}


def _rows(analysis: Analysis) -> list[list]:
    rows = []
    for n, t in enumerate(analysis.result.transfers, start=1):
        d, r = analysis.projects[t.source_code], analysis.projects[t.target_code]
        rows.append([n, f"{d.code} — {d.name}", d.investor, f"{r.code} — {r.name}", r.investor,
                     analysis.label(t.source), LEVEL_VI.get(t.budget_level, t.budget_level), t.year,
                     t.amount // UNIT, analysis.why(t)])
    return rows


def annex_xlsx(analysis: Analysis) -> bytes:
    """The annex of the Tờ trình: every transfer with both projects, their investors and the reason."""
    from dondoc.documents.spreadsheet import Sheet, build_xlsx

    total = sum(t.amount for t in analysis.result.transfers) // UNIT
    rows = _rows(analysis) + [["", "Tổng cộng", "", "", "", "", "", "", total, ""]]
    return build_xlsx([Sheet("Phụ lục điều chuyển vốn", ANNEX_HEADERS, rows,
                             heading=f"Phụ lục: Dự kiến điều chuyển kế hoạch vốn đầu tư công năm {analysis.year} "
                                     f"(số liệu giải ngân đến ngày {format_date(analysis.as_of)})",
                             number_formats={8: "#,##0"}, widths={1: 40, 2: 28, 3: 40, 4: 28, 9: 60})])


def organisation_on(day: dt.date):
    """The organisation settings (headings, signer) in force on ``day``, else the latest ones, else None."""
    from dondoc.accounts.models import Organisation

    return Organisation.on(day) or Organisation.objects.order_by("-valid_from").first()


def to_trinh(analysis: Analysis, *, org, date: dt.date):
    """The draft Tờ trình to the PPC (Decree 30/2020/NĐ-CP), headings and signer from ``org`` (may be None)."""
    from dondoc.documents.model import OfficialDocument, Section, Table

    province = org.province_name if org else ""
    transfers = analysis.result.transfers
    moved = sum(t.amount for t in transfers)
    donors = {t.source_code for t in transfers}
    receivers = {t.target_code for t in transfers}
    plan = sum(p.plan for p in analysis.projects.values())
    disbursed = sum(p.disbursed for p in analysis.projects.values())
    rate = f"{Decimal(disbursed * 100) / plan:.2f}".replace(".", ",") if plan else "—"
    m = format_money
    situation = Section("TÌNH HÌNH GIẢI NGÂN VÀ DỰ BÁO", [
        f"Đến ngày {format_date(analysis.as_of)}, kế hoạch vốn đầu tư công năm {analysis.year} do HĐND, UBND tỉnh giao "
        f"là {m(plan)} triệu đồng; đã giải ngân {m(disbursed)} triệu đồng, đạt {rate}%.",
        f"Theo tiến độ đã cam kết của các chủ đầu tư (hoặc nhịp độ giải ngân của từng dự án theo mùa vụ giải ngân "
        f"của tỉnh), dự báo đến ngày 31/12/{analysis.year} giải ngân được "
        f"{m(sum(p.expected for p in analysis.projects.values()))} triệu đồng; "
        f"{sum(1 for p in analysis.projects.values() if p.unused >= UNIT)} dự án không sử dụng hết "
        f"{m(sum(p.unused for p in analysis.projects.values()))} triệu đồng."])
    table = Table(["STT", "Giảm", "Tăng", "Nguồn vốn", "Năm vốn", "Số tiền (triệu đồng)"],
                  [[str(n), t.source_code, t.target_code, analysis.label(t.source), str(t.year),
                    m(t.amount)] for n, t in enumerate(transfers, start=1)]
                  + [["", "Tổng cộng", "", "", "", m(moved)]],
                  widths_cm=[1.2, 3.2, 3.2, 2.4, 2, 3.5], numeric={5}, bold_rows={len(transfers)})
    proposal = Section("NỘI DUNG ĐỀ XUẤT ĐIỀU CHUYỂN", [
        f"Điều chuyển {m(moved)} triệu đồng từ {len(donors)} dự án dự báo không giải ngân hết kế hoạch vốn sang "
        f"{len(receivers)} dự án giải ngân tốt và có nhu cầu bổ sung vốn, trong cùng nguồn vốn, cùng cấp ngân sách "
        "và cùng năm kế hoạch vốn (vốn kéo dài vẫn là vốn kéo dài); không điều chuyển giảm quá số vốn dự báo không "
        "sử dụng hết và không điều chuyển tăng quá nhu cầu bổ sung vốn, tổng mức đầu tư còn lại của dự án.",
        f"Sau điều chuyển, dự kiến giải ngân đến ngày 31/12/{analysis.year} đạt {m(analysis.objective)} triệu đồng "
        f"(tăng {m(analysis.result.gained)} triệu đồng); còn {m(analysis.result.unplaced)} triệu đồng chưa có dự án "
        "đủ điều kiện tiếp nhận.",
        "Chi tiết từng khoản điều chuyển và lý do tại Phụ lục kèm theo."], tables=[table])
    ask = Section("KIẾN NGHỊ", [
        f"Sở Kế hoạch và Đầu tư kính trình UBND tỉnh xem xét, quyết định điều chỉnh kế hoạch vốn đầu tư công năm "
        f"{analysis.year} theo nội dung trên (dự thảo Quyết định kèm theo)."])
    return OfficialDocument(
        parent_body=org.parent_body if org else "", issuing_body=org.issuing_body if org else "", type_code="TTr",
        issuer_abbreviation=org.issuer_abbreviation if org else "", number=None,
        place=org.place_name if org else "", date=date, type_title="TỜ TRÌNH",
        summary=f"Về việc điều chỉnh, điều chuyển kế hoạch vốn đầu tư công năm {analysis.year}",
        addressee=f"Kính gửi: Ủy ban nhân dân tỉnh {province}",
        opening=[f"Căn cứ Luật Đầu tư công ngày 13/6/2019; căn cứ tình hình giải ngân kế hoạch vốn đầu tư công năm "
                 f"{analysis.year} đến ngày {format_date(analysis.as_of)}, Sở Kế hoạch và Đầu tư kính trình UBND tỉnh "
                 "phương án điều chuyển kế hoạch vốn như sau:"],
        sections=[situation, proposal, ask],
        recipients=list(org.default_recipients) if org else ["Lưu: VT."],
        signer_authority=org.signer_authority if org else "", signer_title=org.signer_title if org else "",
        signer_name=org.signer_name if org else "")


def to_trinh_docx(analysis: Analysis, *, date: dt.date | None = None) -> bytes:
    from dondoc.documents.official import build_docx

    date = date or analysis.as_of
    return build_docx(to_trinh(analysis, org=organisation_on(date), date=date))


EMULATION_HEADERS = ["Chủ đầu tư / cơ quan", "Mã cơ quan", "Kế hoạch vốn (đồng)", "Đã giải ngân (đồng)", "Tỷ lệ (%)",
                     "Tính đến ngày", "Căn cứ"]


def emulation_xlsx(lists: Lists) -> bytes:
    """Both emulation lists, one sheet each, with their evidence."""
    from dondoc.documents.spreadsheet import Sheet, build_xlsx

    day = format_date(lists.as_of)
    fmt = {2: "#,##0", 3: "#,##0"}
    return build_xlsx([
        Sheet("Không đủ ĐK HTTNV", EMULATION_HEADERS, [e.row(lists.as_of) for e in lists.not_eligible],
              heading=f"Danh sách chủ đầu tư, cơ quan giải ngân dưới 100% kế hoạch vốn năm {lists.year} "
                      f"(không đủ điều kiện “hoàn thành tốt nhiệm vụ”) — đến ngày {day}",
              number_formats=fmt, widths={0: 44, 6: 60}),
        Sheet("Phê bình", EMULATION_HEADERS, [e.row(lists.as_of) for e in lists.criticism],
              heading=f"Danh sách chủ đầu tư bị phê bình do không giải ngân được vốn năm {lists.year} — đến ngày {day}",
              number_formats=fmt, widths={0: 44, 6: 60}),
    ])
