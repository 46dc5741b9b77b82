"""`dondoc import dossiers FILE`: CSV (comma/semicolon, BOM), xlsx, row errors, atomic, idempotent, dry run."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from dondoc.core.models import AuditEvent
from dondoc.deadlines import importers
from dondoc.deadlines.models import Dossier

pytestmark = pytest.mark.django_db
D = dt.date

HEADER = ["STT", "Loại hồ sơ", "Cơ quan giải quyết", "Số hồ sơ", "Trích yếu", "Ngày nhận", "Ngày tạm dừng",
          "Ngày tiếp tục", "Ngày hoàn thành", "Ghi chú"]
GOOD = [
    ["1", "appraisal", "Sở Tài chính", "TĐ-01/2020", "Thẩm định dự án Cầu Phố Mới", "20/01/2020", "", "", "03/02/2020", ""],
    ["2", "Thẩm định", "Sở KH&ĐT", "TĐ-02/2020", "Thẩm định dự án Chợ Bắc Hà", "21/01/2020", "24/01/2020",
     "03/02/2020", "06/02/2020", "trả bổ sung"],
    ["3", "Thanh toán vốn đầu tư", "kbnn", "TT-01/2020", "Thanh toán đợt 1", "02/03/2020", "", "", "", ""],
]


def csv_bytes(rows, sep=",", bom=False):
    text = "\n".join(sep.join(f'"{c}"' if sep in c else c for c in row) for row in rows) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def xlsx_bytes(rows):
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH HỒ SƠ THẨM ĐỊNH NĂM 2020"])  # a title block above the header
    for row in rows:
        ws.append([dt.datetime.strptime(c, "%d/%m/%Y") if c.count("/") == 2 else c for c in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(name, data, **kw):
    if "user" not in kw:
        kw["everything"] = True  # the command line's import: every agency
    return importers.run_dossiers(name=name, data=data, **kw)


def test_good_csv_creates_dossiers_with_their_events(reference):
    report = run("hs.csv", csv_bytes([HEADER, *GOOD]))
    assert report.ok, report.errors
    assert (report.rows, report.created, report.existing) == (3, 3, 0)
    d = Dossier.objects.get(reference="TĐ-02/2020")
    assert (d.agency.code, d.type.code, d.received_on, d.completed_on) == ("SKHDT", "appraisal", D(2020, 1, 21), D(2020, 2, 6))
    assert [(p.paused_on, p.resumed_on) for p in d.pauses.all()] == [(D(2020, 1, 24), D(2020, 2, 3))]
    assert Dossier.objects.get(reference="TT-01/2020").agency.code == "KBNN"
    assert AuditEvent.objects.filter(kind="dossier.create").count() == 3


def test_reimport_creates_nothing(reference):
    run("hs.csv", csv_bytes([HEADER, *GOOD]))
    events = AuditEvent.objects.count()
    again = run("hs.csv", csv_bytes([HEADER, *GOOD]))
    assert again.ok and (again.created, again.existing) == (0, 3)
    assert Dossier.objects.count() == 3 and AuditEvent.objects.count() == events
    changed = [row[:] for row in GOOD]
    changed[0][5] = "22/01/2020"
    third = run("hs.csv", csv_bytes([HEADER, *changed]))
    assert third.created == 0 and [w.row for w in third.warnings] == [2]


def test_semicolons_and_bom(reference):
    report = run("hs.csv", csv_bytes([HEADER, *GOOD], sep=";", bom=True))
    assert report.ok and report.created == 3


def test_xlsx_with_title_block_and_excel_dates(reference):
    report = run("hs.xlsx", xlsx_bytes([HEADER, *GOOD]))
    assert report.ok, report.errors
    assert report.created == 3
    assert Dossier.objects.get(reference="TĐ-01/2020").received_on == D(2020, 1, 20)


def test_headers_without_accents(reference):
    header = ["loai ho so", "CO QUAN", "so ho so", "trich yeu", "ngay nhan"]
    report = run("hs.csv", csv_bytes([header, ["payment", "KBNN", "TT-9", "Thanh toán", "2020-03-02"]]))
    assert report.ok and report.created == 1


def test_bad_rows_are_all_reported_and_nothing_is_written(reference):
    bad = [
        GOOD[0],
        ["2", "xây nhà", "Sở Tài chính", "TĐ-03", "x", "20/01/2020", "", "", "", ""],
        ["3", "appraisal", "Sở Không Tồn Tại", "TĐ-04", "x", "31/02/2020", "", "", "", ""],
        ["4", "appraisal", "STC", "", "x", "20/01/2020", "", "05/02/2020", "", ""],
        ["5", "appraisal", "STC", "TĐ-05", "x", "20/01/2020", "", "", "10/01/2020", ""],
        ["6", "appraisal", "Sở Tài chính", "TĐ-01/2020", "lặp", "20/01/2020", "", "", "", ""],
    ]
    report = run("hs.csv", csv_bytes([HEADER, *bad]))
    got = {(e.row, e.column, e.code) for e in report.errors}
    assert got == {
        (3, "Loại hồ sơ", "unknown_type"),
        (4, "Cơ quan giải quyết", "unknown_agency"),
        (4, "Ngày nhận", "bad_date"),
        (5, "Số hồ sơ", "required"),
        (5, "Ngày tiếp tục", "resumed_without_pause"),
        (6, "Ngày hoàn thành", "date_order"),
        (7, "Số hồ sơ", "duplicate"),
    }
    assert not Dossier.objects.exists() and not AuditEvent.objects.filter(kind__startswith="dossier.").exists()


def test_dry_run_writes_nothing(reference):
    report = run("hs.csv", csv_bytes([HEADER, *GOOD]), dry_run=True)
    assert report.ok and report.created == 3 and report.dry_run
    assert not Dossier.objects.exists() and not AuditEvent.objects.filter(kind__startswith="dossier.").exists()


def test_unreadable_files(reference):
    assert run("hs.pdf", b"%PDF").errors[0].code == "bad_file"
    assert run("hs.csv", "Số;Tên\n".encode("cp1258", errors="replace") + b"\xff\xfe").errors[0].code == "bad_file"
    no_header = run("hs.csv", csv_bytes([["a", "b"], ["1", "2"]]))
    assert no_header.errors[0].code == "bad_file" and no_header.errors[0].row == 0


def test_web_upload_limits_rows_to_the_users_agency(personas):
    report = importers.run_dossiers(name="hs.csv", data=csv_bytes([HEADER, *GOOD]), actor=personas.officer,
                                    user=personas.officer)
    assert {(e.row, e.code) for e in report.errors} == {(3, "not_allowed"), (4, "not_allowed")}


# --- the command ---------------------------------------------------------------------------------------


def test_command_json_and_exit_codes(reference, tmp_path, capsys):
    good = tmp_path / "hs.csv"
    good.write_bytes(csv_bytes([HEADER, *GOOD]))
    call_command("import", "dossiers", str(good), "--dry-run", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out == {"kind": "dossiers", "ok": True, "dry_run": True, "rows": 3, "created": 3, "existing": 0,
                   "errors": [], "warnings": []}
    assert not Dossier.objects.exists()
    call_command("import", "dossiers", str(good))
    assert Dossier.objects.count() == 3
    capsys.readouterr()  # the text report (language of the catalogue)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADER, ["1", "appraisal", "STC", "X", "x", "hôm qua", "", "", "", ""]]))
    with pytest.raises(CommandError) as exc:
        call_command("import", "dossiers", str(bad), "--json")
    assert exc.value.returncode == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert errors == [{"row": 2, "column": "Ngày nhận", "code": "bad_date", "message": errors[0]["message"]}]
    with pytest.raises(CommandError) as exc:
        call_command("import", "dossiers", str(tmp_path / "missing.csv"))
    assert exc.value.returncode == 2
