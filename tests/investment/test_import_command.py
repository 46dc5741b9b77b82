"""`dondoc import plans|disbursements` through the one `import` command: JSON on stdout, exit status 0/1/2."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from .conftest import write_csv

pytestmark = pytest.mark.django_db

HEADER = ["Mã dự án", "Ngày thanh toán", "Số chứng từ", "Số tiền (đồng)"]


def test_import_command_runs_the_disbursements_importer(register, tmp_path):
    path = write_csv(tmp_path / "kb.csv", [HEADER, ["7810657", "15/03/2020", "CT001", "150.000.000"]])
    out = io.StringIO()
    call_command("import", "disbursements", str(path), "--json", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue()) == {"rows": 1, "projects": 1, "created": 1, "unchanged": 0, "warnings": [],
                                          "total_amount": "150000000", "errors": []}


@pytest.mark.parametrize(("rows", "code"), [([HEADER, ["9999999", "15/03/2020", "CT001", "1"]], 1), (None, 2)])
def test_import_command_exit_status(register, tmp_path, rows, code):
    path = write_csv(tmp_path / "kb.csv", rows) if rows else tmp_path / "none.csv"
    with pytest.raises(CommandError) as failed:
        call_command("import", "plans" if rows is None else "disbursements", str(path), "--json",
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert failed.value.returncode == code
