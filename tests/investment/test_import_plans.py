"""`import plans`: the DPI's plan tables (title block, merged two-row header, sources, extended capital)."""

import pytest

from dondoc.core.models import AuditEvent
from dondoc.investment.models import Investor, PlanLine, Project

from .conftest import MILLION, D, write_csv, write_xlsx
from .test_import_disbursements import run

pytestmark = pytest.mark.django_db

TABLE = [
    ["ỦY BAN NHÂN DÂN TỈNH LÀO CAI"],
    ["KẾ HOẠCH VỐN ĐẦU TƯ CÔNG NĂM 2020"],
    ["(Kèm theo Quyết định số 4321/QĐ-UBND ngày 15 tháng 12 năm 2019)"],
    [None, None, None, None, None, None, None, "Đơn vị: triệu đồng"],
    ["STT", "Tên dự án", "Mã dự án", "Chủ đầu tư", "Kế hoạch vốn năm 2020", None, None, "Vốn kéo dài",
     "Giải ngân đến ngày 30/9/2020", "Tỷ lệ %"],
    [None, None, None, None, "Tổng số", "NSTW", "NSĐP", None, None, None],
    ["I", "SỞ Y TẾ", None, None, 2500, 1500, 1000, 300, None, None],
    [1, "Bệnh viện đa khoa huyện Bát Xát", 7810657.0, "Ban QLDA đầu tư xây dựng huyện Bát Xát", 1500, 1000,
     500, 300, 100, 0.06],
    [2, "Trạm y tế xã Y Tý", "7810700", "Sở Y tế", "1.000", "500", "500", "-", None, None],
    [None, "Cộng I", None, None, 2500, 1500, 1000, 300, None, None],
    [None, "Tổng cộng", None, None, 2500, 1500, 1000, 300, None, None],
]
MERGES = ("E5:G5", "A5:A6", "B5:B6", "C5:C6", "D5:D6", "H5:H6", "I5:I6", "J5:J6")


def lines(code):
    return sorted(PlanLine.objects.filter(project__code=code).values_list("source", "origin_year", "amount", "kind"))


def test_plan_table_with_merged_header_sources_and_extended_capital(reference, tmp_path):
    path = write_xlsx(tmp_path / "kh.xlsx", TABLE, MERGES)
    code, out, _ = run("plans", path, "--decision", "4321/QĐ-UBND")
    assert code == 0, out
    assert (out["rows"], out["projects"], out["created"], out["unchanged"]) == (2, 2, 2, 0)
    assert out["total_amount"] == str(2800 * MILLION)  # 2.500 of the year + 300 extended, nothing twice
    assert lines("7810657") == [("KHAC", 2019, 300 * MILLION, "original"), ("NSDP", 2020, 500 * MILLION, "original"),
                                ("NSTW", 2020, 1000 * MILLION, "original")]
    assert lines("7810700") == [("NSDP", 2020, 500 * MILLION, "original"), ("NSTW", 2020, 500 * MILLION, "original")]
    p = Project.objects.get(code="7810657")
    assert p.investor.agency.code == "BX"  # a district's project board rolls up to the district
    assert Project.objects.get(code="7810700").investor.agency.code == "SYT"
    assert set(PlanLine.objects.values_list("year", "assigner", "decision").distinct()) == {
        (2020, "tinh", "4321/QĐ-UBND")}
    assert AuditEvent.objects.filter(kind="investment.import_plans").count() == 1


def test_same_plan_twice_then_a_revision(reference, tmp_path):
    path = write_xlsx(tmp_path / "kh.xlsx", TABLE, MERGES)
    run("plans", path)
    code, out, _ = run("plans", path)
    assert code == 0 and (out["created"], out["unchanged"]) == (0, 2)
    changed = [row[:] for row in TABLE]
    changed[7] = [1, "Bệnh viện", "7810657", "Ban QLDA đầu tư xây dựng huyện Bát Xát", 1200, 1000, 200, 300]
    other = write_xlsx(tmp_path / "kh2.xlsx", changed, MERGES)
    code, out, _ = run("plans", other)
    assert code == 1 and out["errors"][0]["row"] == 8 and "--revised" in out["errors"][0]["message"]
    code, out, _ = run("plans", other, "--revised", "--decision", "999/QĐ-UBND", "--as-of", "2020-10-15")
    assert code == 0 and (out["created"], out["unchanged"]) == (1, 1)
    assert lines("7810657") == [("KHAC", 2019, 300 * MILLION, "original"), ("NSDP", 2020, 200 * MILLION, "revised"),
                                ("NSDP", 2020, 500 * MILLION, "original"), ("NSTW", 2020, 1000 * MILLION, "original")]
    revised = PlanLine.objects.get(kind="revised")
    assert (revised.decision, revised.effective_on) == ("999/QĐ-UBND", D(2020, 10, 15))


def test_total_including_extended_is_not_counted_twice(reference, tmp_path):
    rows = [["KẾ HOẠCH VỐN NĂM 2020"],
            ["Mã dự án", "Tên dự án", "Chủ đầu tư", "Nguồn vốn", "Kế hoạch vốn năm 2020 (triệu đồng)", None],
            [None, None, None, None, "Tổng số", "Trong đó: vốn kéo dài"],
            ["7810657", "Dự án A", "Sở Y tế", "Ngân sách địa phương", "1.000", "250"]]
    path = write_csv(tmp_path / "kh.csv", rows)
    code, out, _ = run("plans", path)
    assert code == 0, out
    assert out["total_amount"] == str(1000 * MILLION)
    assert lines("7810657") == [("NSDP", 2019, 250 * MILLION, "original"), ("NSDP", 2020, 750 * MILLION, "original")]


def test_year_from_option_assigner_ttg_and_unit_in_header(reference, tmp_path):
    rows = [["Mã DA", "Danh mục dự án", "Chủ đầu tư", "KH vốn (đồng)"],
            ["1", "Dự án một", "UBND huyện Bảo Yên", "1.500.000"]]
    path = write_csv(tmp_path / "kh.csv", rows, delimiter=";")
    code, out, _ = run("plans", path)
    assert code == 1 and "--year" in out["errors"][0]["message"]
    code, out, _ = run("plans", path, "--year", "2020", "--assigner", "ttg")
    assert code == 0 and lines("1") == [("KHAC", 2020, 1_500_000, "original")]
    assert PlanLine.objects.get().assigner == "ttg"
    assert Investor.objects.get().agency.code == "BY"


def test_investors_are_matched_without_accents_and_unknown_ones_are_warned(reference, tmp_path):
    rows = [["KẾ HOẠCH NĂM 2020"], ["Đơn vị: triệu đồng"], ["Mã dự án", "Tên dự án", "Chủ đầu tư", "Kế hoạch vốn"],
            ["A1", "Dự án 1", "Công ty Điện lực Lào Cai", "10"],
            ["A2", "Dự án 2", "CÔNG TY ĐIỆN LỰC LÀO CAI", "20"],
            ["A3", "Dự án 3", "cong ty dien luc lao cai", "30"]]
    code, out, _ = run("plans", write_csv(tmp_path / "kh.csv", rows))
    assert code == 0 and Investor.objects.count() == 1
    assert Investor.objects.get().agency is None
    assert len(out["warnings"]) == 1 and out["warnings"][0]["row"] == 4


def test_plan_errors_are_listed_with_rows_and_columns(reference, tmp_path):
    rows = [["KẾ HOẠCH NĂM 2020"], ["Đơn vị: triệu đồng"],
            ["STT", "Mã dự án", "Tên dự án", "Chủ đầu tư", "Kế hoạch vốn"],
            ["1", "A1", "Dự án 1", "Sở Y tế", "10"],
            ["2", "", "Dự án 2", "Sở Y tế", "20"],
            ["3", "A3", "", "Sở Y tế", "30"],
            ["4", "A4", "Dự án 4", "", "40"],
            ["5", "A5", "Dự án 5", "Sở Y tế", "bốn mươi"],
            ["6", "A6", "Dự án 6", "Sở Y tế", "-5"],
            ["7", "A1", "Dự án 1", "Sở Y tế", "10"]]
    code, out, _ = run("plans", write_xlsx(tmp_path / "kh.xlsx", rows))
    assert code == 1
    assert [(e["row"], e["column"]) for e in out["errors"]] == [
        (5, "Mã dự án"), (6, "Tên dự án"), (7, "Chủ đầu tư"), (8, "Kế hoạch vốn"), (9, "Kế hoạch vốn"), (10, "Mã dự án")]
    assert Project.objects.count() == 0 and Investor.objects.count() == 0 and PlanLine.objects.count() == 0


def test_plan_without_unit_needs_the_option(reference, tmp_path):
    rows = [["KẾ HOẠCH NĂM 2020"], ["Mã dự án", "Tên dự án", "Chủ đầu tư", "Kế hoạch vốn"], ["A1", "X", "Sở Y tế", "10"]]
    path = write_csv(tmp_path / "kh.csv", rows)
    assert run("plans", path)[0] == 1
    code, out, _ = run("plans", path, "--unit", "ty")
    assert code == 0 and out["total_amount"] == str(10 * 1000 * MILLION)
