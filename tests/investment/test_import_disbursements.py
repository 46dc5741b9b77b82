"""`import disbursements`: payments and cumulative files of every shape, errors, atomicity, idempotence."""

import argparse
import io
import json

import pytest

from dondoc.core.models import AuditEvent
from dondoc.investment import importers
from dondoc.investment.models import Disbursement, ImportBatch

from .conftest import MILLION, D, write_csv, write_ods, write_xlsx

pytestmark = pytest.mark.django_db

TITLE = [["KHO BẠC NHÀ NƯỚC TỈNH LÀO CAI"], ["BẢNG KÊ THANH TOÁN VỐN ĐẦU TƯ NĂM 2020"]]
PAY_HEADER = ["STT", "Mã dự án", "Tên dự án", "Ngày thanh toán", "Số chứng từ", "Số tiền (đồng)"]


def run(kind: str, path, *args: str) -> tuple[int, dict, str]:
    """The command-line adapter through a throwaway argparse parser (as the `import` dispatcher wires it)."""
    parser = argparse.ArgumentParser()
    getattr(importers, f"add_{kind}_arguments")(parser)
    options = vars(parser.parse_args([str(path), "--json", *args]))
    stdout, stderr = io.StringIO(), io.StringIO()
    code = getattr(importers, f"handle_{kind}")(options, stdout, stderr)
    return code, json.loads(stdout.getvalue()), stderr.getvalue()


def test_payments_csv_comma(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [*TITLE, PAY_HEADER,
                                          ["1", "7810657", "Dự án A", "15/03/2020", "CT001", "150.000.000"],
                                          ["2", "7810657", "Dự án A", "20/05/2020", "CT002", "50000000"],
                                          ["3", "7900001", "Dự án C", "2020-06-30", "CT003", "1.000.000.000"]])
    code, out, _ = run("disbursements", path)
    assert code == 0
    assert out == {"rows": 3, "projects": 2, "created": 3, "unchanged": 0, "warnings": [],
                   "total_amount": "1200000000", "errors": []}
    p1 = register["p1"]
    assert sorted(p1.disbursements.values_list("paid_on", "amount", "ref", "extended")) == [
        (D(2020, 3, 15), 150_000_000, "CT001", False), (D(2020, 5, 20), 50_000_000, "CT002", False)]
    batch = ImportBatch.objects.get()
    assert (batch.rows, batch.created, batch.total_amount) == (3, 3, 1_200_000_000)
    event = AuditEvent.objects.get(kind="investment.import_disbursements")
    assert event.new["file_hash"] == batch.file_hash and event.new["created"] == 3


def test_same_content_twice_changes_nothing(register, tmp_path):
    rows = [PAY_HEADER, ["1", "7810657", "A", "15/03/2020", "", "150.000.000"],
            ["2", "7810657", "A", "15/03/2020", "", "150.000.000"]]  # no document number: file hash + row
    path = write_csv(tmp_path / "kb.csv", rows)
    assert run("disbursements", path)[1]["created"] == 2
    code, out, _ = run("disbursements", path)
    assert code == 0 and out["created"] == 0 and out["unchanged"] == 2
    assert Disbursement.objects.count() == 2
    assert ImportBatch.objects.count() == 1 and AuditEvent.objects.filter(kind__startswith="investment.").count() == 1


def test_same_payment_in_another_file_is_known_by_its_document_number(register, tmp_path):
    a = write_csv(tmp_path / "a.csv", [PAY_HEADER, ["1", "7810657", "A", "15/03/2020", "CT9", "1.000"]])
    b = write_csv(tmp_path / "b.csv", [PAY_HEADER, ["1", "7810657", "A", "15/03/2020", "CT9", "1.000"],
                                       ["2", "7810658", "B", "16/03/2020", "CT10", "2.000"]], delimiter=";")
    run("disbursements", a)
    out = run("disbursements", b)[1]
    assert (out["created"], out["unchanged"]) == (1, 1)


def test_semicolon_csv_with_bom_and_unit_note(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [*TITLE, ["Đơn vị: triệu đồng"],
                                          ["STT", "Mã DA", "Ngày", "Giá trị giải ngân"],
                                          ["1", "7810657", "01/04/2020", "1.234,5"],
                                          ["2", "7810658", "2/4/2020", "-"]], delimiter=";", bom=True)
    code, out, _ = run("disbursements", path)
    assert code == 0 and out["total_amount"] == "1234500000"
    assert register["p1"].disbursements.get().amount == 1_234_500_000


def test_missing_unit_is_refused_unless_given(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [["Mã dự án", "Ngày", "Số tiền"], ["7810657", "01/04/2020", "1.234"]])
    code, out, err = run("disbursements", path)
    assert code == 1 and out["errors"][0]["row"] is None and out["errors"][0]["column"] == "Số tiền"
    assert "--unit" in out["errors"][0]["message"] and Disbursement.objects.count() == 0
    code, out, _ = run("disbursements", path, "--unit", "trieu")
    assert code == 0 and out["total_amount"] == "1234000000"


def test_one_bad_row_writes_nothing_and_lists_every_error(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [*TITLE, PAY_HEADER,
                                          ["1", "7810657", "A", "15/03/2020", "CT1", "100"],
                                          ["2", "9999999", "X", "15/03/2020", "CT2", "100"],
                                          ["3", "7810658", "B", "31/02/2020", "CT3", "100"],
                                          ["4", "7810658", "B", "01/03/2020", "CT4", "một trăm"],
                                          ["5", "", "B", "01/03/2020", "CT5", "100"]])
    code, out, err = run("disbursements", path)
    assert code == 1
    assert [(e["row"], e["column"]) for e in out["errors"]] == [
        (5, "Mã dự án"), (6, "Ngày thanh toán"), (7, "Số tiền (đồng)"), (8, "Mã dự án")]
    assert "9999999" in out["errors"][0]["message"]
    assert Disbursement.objects.count() == 0 and ImportBatch.objects.count() == 0
    assert "4 error(s)" in err


def test_errors_are_capped_at_1000_with_the_total(register, tmp_path):
    rows = [PAY_HEADER] + [[str(i), "0000", "X", "15/03/2020", f"C{i}", "1"] for i in range(1, 1201)]
    code, out, err = run("disbursements", write_csv(tmp_path / "kb.csv", rows))
    assert code == 1 and len(out["errors"]) == 1000 and "1200 error(s) (the first 1000 listed)" in err


def test_xlsx_merged_two_row_header_groups_subtotals_and_float_codes(register, tmp_path):
    rows = [
        ["KHO BẠC NHÀ NƯỚC TỈNH LÀO CAI"],
        ["TÌNH HÌNH GIẢI NGÂN VỐN ĐẦU TƯ CÔNG NĂM 2020"],
        ["Đơn vị: triệu đồng"],
        ["STT", "Tên dự án", "Mã dự án", "Chủ đầu tư", "Giải ngân đến ngày 30/9/2020", None, "Tỷ lệ %"],
        [None, None, None, None, "Tổng số", "Trong đó: vốn kéo dài", None],
        ["A", "B", "1", "2", "3", "4", "5"],
        ["I", "Ban QLDA Sở Tài chính", None, None, 1300, 100, None],
        [1, "Dự án A", 7810657.0, "Ban QLDA Sở Tài chính", 700, 100, 0.5],
        [2, "Dự án B", 7810658, "Ban QLDA Sở Tài chính", "600", "-", 0.6],
        [None, "Cộng I", None, None, 1300, 100, None],
        ["II", "Ban QLDA Kho bạc", None, None, None, None, None],
        [1, "Dự án C", "7900001", "Ban QLDA Kho bạc", 0, None, 0],
        [None, "Tổng cộng", None, None, 1300, 100, None],
    ]
    path = write_xlsx(tmp_path / "kb.xlsx", rows, merges=("E4:F4", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "G4:G5"))
    code, out, _ = run("disbursements", path)
    assert code == 0, out
    assert (out["rows"], out["projects"], out["created"], out["unchanged"]) == (3, 3, 2, 1)
    assert out["total_amount"] == "1300000000"
    p1 = register["p1"]
    assert sorted(p1.disbursements.values_list("paid_on", "extended", "amount", "cumulative")) == [
        (D(2020, 9, 30), False, 600 * MILLION, True), (D(2020, 9, 30), True, 100 * MILLION, True)]


def test_cumulative_is_stored_as_the_difference_and_a_lower_figure_is_a_correction(register, tmp_path):
    header = ["Mã dự án", "Lũy kế giải ngân (triệu đồng)"]
    first = write_csv(tmp_path / "a.csv", [header, ["7810657", "500"], ["7810658", "100"]])
    code, out, _ = run("disbursements", first, "--as-of", "2020-08-31")
    assert code == 0 and out["created"] == 2
    second = write_csv(tmp_path / "b.csv", [header, ["7810657", "800"], ["7810658", "70"]])
    code, out, _ = run("disbursements", second, "--as-of", "30/09/2020")
    assert code == 0 and (out["created"], out["unchanged"]) == (2, 0)
    assert out["total_amount"] == "870000000"
    assert len(out["warnings"]) == 1 and out["warnings"][0]["row"] == 3 and "7810658" in out["warnings"][0]["message"]
    p2 = register["p2"]
    assert sorted(p2.disbursements.values_list("paid_on", "amount")) == [
        (D(2020, 8, 31), 100 * MILLION), (D(2020, 9, 30), -30 * MILLION)]
    assert sum(register["p1"].disbursements.values_list("amount", flat=True)) == 800 * MILLION
    # The same cumulative file again: nothing new.
    code, out, _ = run("disbursements", second, "--as-of", "30/09/2020")
    assert (out["created"], out["unchanged"]) == (0, 2) and Disbursement.objects.count() == 4


def test_cumulative_without_a_date_is_refused(register, tmp_path):
    path = write_csv(tmp_path / "a.csv", [["Mã dự án", "Lũy kế giải ngân (đồng)"], ["7810657", "500"]])
    code, out, _ = run("disbursements", path)
    assert code == 1 and out["errors"][0]["row"] is None and "--as-of" in out["errors"][0]["message"]


def test_extended_capital_rows_and_negative_payment(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [["Mã dự án", "Ngày", "Loại vốn", "Số tiền (triệu đồng)"],
                                          ["7810657", "10/07/2020", "Vốn kéo dài 2019", "200"],
                                          ["7810657", "11/07/2020", "KH năm 2020", "300"],
                                          ["7810657", "12/07/2020", "KH năm 2020", "(50)"]])
    code, out, _ = run("disbursements", path)
    assert code == 0 and out["total_amount"] == "450000000"
    assert len(out["warnings"]) == 1 and out["warnings"][0]["row"] == 4
    got = sorted(register["p1"].disbursements.values_list("paid_on", "extended", "amount"))
    assert got == [(D(2020, 7, 10), True, 200 * MILLION), (D(2020, 7, 11), False, 300 * MILLION),
                   (D(2020, 7, 12), False, -50 * MILLION)]


def test_ods_file(register, tmp_path):
    path = write_ods(tmp_path / "kb.ods", [["Đơn vị tính: đồng"], ["Mã dự án", "Ngày", "Số tiền"],
                                           ["7810657", "15/03/2020", 1500]])
    code, out, _ = run("disbursements", path)
    assert code == 0 and out["total_amount"] == "1500"


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("x.pdf", b"%PDF-1.4", "unsupported"),
    ("x.xlsx", b"this is not a workbook", "spreadsheet"),
    ("x.csv", b"", "empty"),
    ("x.csv", b"\xff\xfe\x00a\x00b", "CSV"),
    ("x.csv", "Mã dự án,Ngày,Số tiền (đồng)\n".encode(), ""),  # no data rows
    ("x.csv", b"hello,world\n1,2\n", "header"),
])
def test_files_that_cannot_be_read_are_errors_without_a_row(register, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    code, out, _ = run("disbursements", path)
    assert code == 1 and out["errors"][0]["row"] is None and reason in out["errors"][0]["message"]
    assert len(out["errors"]) == 1 and out["rows"] == 0


def test_usage_errors_exit_2(tmp_path):
    stdout, stderr = io.StringIO(), io.StringIO()
    assert importers.handle_disbursements({"file": str(tmp_path / "none.csv")}, stdout, stderr) == 2
    (tmp_path / "a.csv").write_text("x")
    assert importers.handle_disbursements({"file": str(tmp_path / "a.csv"), "as_of": "30/30/2020"},
                                          stdout, stderr) == 2


def test_dry_run_writes_nothing(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [PAY_HEADER, ["1", "7810657", "A", "15/03/2020", "CT1", "100"]])
    code, out, _ = run("disbursements", path, "--dry-run")
    assert code == 0 and out["created"] == 1
    assert Disbursement.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_a_file_that_stops_being_utf8_half_way_writes_nothing(register, tmp_path):
    rows = "\n".join(f"{i},7810657,15/03/2020,CT{i},1000" for i in range(1, 20001))
    path = tmp_path / "kb.csv"
    path.write_bytes(("STT,Mã dự án,Ngày,Số chứng từ,Số tiền (đồng)\n" + rows
                      + "\n20001,7810657,15/03/2020,CT\xe9,1000\n").encode("utf-8").replace(b"CT\xc3\xa9", b"CT\xe9"))
    code, out, _ = run("disbursements", path)
    assert code == 1 and out["errors"][0]["row"] is None and "UTF-8" in out["errors"][0]["message"]
    assert Disbursement.objects.count() == 0


def test_line_numbers_count_multi_line_cells(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [PAY_HEADER, ["1", "7810657", "Dự án\nhai dòng", "15/03/2020", "C1", "1"],
                                          ["2", "7810657", "A", "15/03/2020", "C2", "abc"]])
    code, out, _ = run("disbursements", path)
    assert out["errors"][0]["row"] == 4  # the header, a row on two lines, then this one


def test_codes_written_as_numbers_in_a_csv(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [["Mã dự án", "Ngày", "Số tiền (đồng)"], ["7810657.0", "15/03/2020", "10"]])
    code, out, _ = run("disbursements", path)
    assert code == 0 and register["p1"].disbursements.get().amount == 10


def test_rows_counts_every_data_row_read_rejected_ones_included(register, tmp_path):
    path = tmp_path / "payments.csv"
    path.write_text("Mã dự án;Ngày;Số tiền (đồng);Số chứng từ\n"
                    "7810657;01/09/2020;1.000.000;CT-1\n"
                    "9999999;01/09/2020;2.000.000;CT-2\n"
                    "7810658;hôm qua;3.000.000;CT-3\n", encoding="utf-8")
    out = importers.import_disbursements(path=path).as_dict()
    assert out["rows"] == 3 and out["created"] == 0  # one good row, two rejected: nothing written
    assert [e["row"] for e in out["errors"]] == [3, 4]
    assert not Disbursement.objects.exists()
