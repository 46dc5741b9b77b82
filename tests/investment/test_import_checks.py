"""Row checks of plan and disbursement files (issue 12): amounts whose separators are ambiguous for the file's
unit, and rows repeated inside one file, are reported with their row and column."""

import pytest
from django.utils import translation

from dondoc.investment.models import Disbursement, PlanLine

from .conftest import write_csv
from .test_import_disbursements import run

pytestmark = pytest.mark.django_db
PAY = ["Mã dự án", "Ngày thanh toán", "Số chứng từ", "Số tiền (triệu đồng)"]
PAY_DONG = ["Mã dự án", "Ngày thanh toán", "Số tiền (đồng)"]


def messages(out):
    return [(e["row"], e["column"], e["message"]) for e in out["errors"]]


def test_a_triệu_file_mixing_separators_is_refused_row_by_row(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [PAY,
                                          ["7810657", "15/03/2020", "CT1", "1,234"],
                                          ["7810657", "16/03/2020", "CT2", "1,234,567"],
                                          ["7810657", "17/03/2020", "CT3", "1.2345"],
                                          ["7810657", "18/03/2020", "CT4", "2.500.000"]])
    with translation.override("vi"):
        code, out, _ = run("disbursements", path)
    assert code == 1 and Disbursement.objects.count() == 0
    assert messages(out) == [
        (2, "Số tiền (triệu đồng)", "“1,234” có thể là 1.234 hoặc 1,234 triệu đồng: ghi “1.234,0” hoặc “1,2340” "
                                    "để nói rõ, hoặc nhập dạng số trong Excel."),
        (5, "Số tiền (triệu đồng)", "“2.500.000” viết theo kiểu dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần "
                                    "thập phân, nhưng dòng 3 (“1,234,567”) theo kiểu dấu phẩy ngăn cách hàng nghìn, "
                                    "dấu chấm trước phần thập phân: hãy ghi mọi số tiền trong tệp theo một cách."),
    ]


def test_fractions_of_a_đồng_and_comma_thousands_in_đồng_are_refused(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [PAY_DONG, ["7810657", "15/03/2020", "1.500,5"],
                                          ["7810657", "16/03/2020", "1,500"]])
    code, out, _ = run("disbursements", path)
    assert code == 1 and [e["row"] for e in out["errors"]] == [2, 3]
    assert [e.get("code") for e in out["errors"]] == ["fraction_of_dong", "ambiguous_amount"]


def test_unambiguous_text_and_numbers_still_import(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [PAY, ["7810657", "15/03/2020", "CT1", "1.234"],  # Vietnamese thousands
                                          ["7810657", "16/03/2020", "CT2", "2,5"],
                                          ["7810657", "17/03/2020", "CT3", "1.234,0"]])
    code, out, _ = run("disbursements", path)
    assert code == 0, out["errors"]
    assert out["total_amount"] == str(1_234_000_000 + 2_500_000 + 1_234_000_000)


def test_identical_payment_rows_are_reported_not_collapsed(register, tmp_path):
    row = ["7810657", "15/03/2020", "CT1", "150"]
    path = write_csv(tmp_path / "kb.csv", [PAY, row, ["7810657", "16/03/2020", "CT2", "20"], row])
    with translation.override("vi"):
        code, out, _ = run("disbursements", path)
    assert code == 1 and Disbursement.objects.count() == 0
    assert messages(out) == [(4, "Số tiền (triệu đồng)", (
        "Dòng 2 và dòng 4 trùng nhau hoàn toàn (cùng dự án, ngày, số chứng từ và số tiền): mỗi khoản thanh toán chỉ "
        "ghi một lần; nếu là hai khoản khác nhau, hãy ghi số chứng từ khác nhau."))]


def test_same_payment_twice_without_document_numbers_is_kept_with_a_warning(register, tmp_path):
    row = ["7810657", "15/03/2020", "150.000.000"]
    path = write_csv(tmp_path / "kb.csv", [PAY_DONG, row, row])
    code, out, _ = run("disbursements", path)
    assert code == 0 and Disbursement.objects.count() == 2
    assert [(w["row"], w.get("code")) for w in out["warnings"]] == [(3, "same_payment")]


def test_a_plan_line_twice_in_one_file_names_both_rows(register, tmp_path):
    header = ["Mã dự án", "Tên dự án", "Chủ đầu tư", "Kế hoạch vốn năm 2020 (triệu đồng)"]
    path = write_csv(tmp_path / "kh.csv", [header, ["7999001", "Dự án mới", "Sở Y tế", "100"],
                                          ["7999001", "Dự án mới", "Sở Y tế", "100"]])
    with translation.override("vi"):
        code, out, _ = run("plans", path)
    assert code == 1 and not PlanLine.objects.filter(project__code="7999001").exists()
    assert out["errors"][0]["row"] == 3 and "ở dòng 2" in out["errors"][0]["message"]


def test_an_ambiguous_total_investment_of_a_new_project_is_refused(register, tmp_path):
    header = ["Mã dự án", "Tên dự án", "Chủ đầu tư", "Tổng mức đầu tư", "Kế hoạch vốn năm 2020"]
    path = write_csv(tmp_path / "kh.csv", [["Đơn vị: triệu đồng"], header,
                                          ["7999001", "Dự án mới", "Sở Y tế", "12,500", "100"]])
    code, out, _ = run("plans", path)
    assert code == 1 and [(e["row"], e["column"], e.get("code")) for e in out["errors"]] == [
        (3, "Tổng mức đầu tư", "ambiguous_amount")]
