"""The dossiers upload is bounded after decompression (issue 12: an 875 KB .xlsx holding a million rows took
168 s and 2.1 GB on /deadlines/import/)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.deadlines.models import Dossier

from ..importers.bombs import inflating_zip, repeated_rows_xlsx

pytestmark = pytest.mark.django_db
HEADER = ["Loại hồ sơ", "Cơ quan", "Số hồ sơ", "Trích yếu", "Ngày nhận"]


def upload(client, data, capture):
    """Post the file, let its job run (after the upload's commit), and return the job's page."""
    with capture(execute=True):
        r = client.post("/deadlines/import/", {"file": SimpleUploadedFile("hs.xlsx", data)})
    return client.get(r["Location"]).text


def test_a_small_xlsx_with_too_many_rows_is_refused_with_the_limit_and_its_figure(
        client_for, personas, django_capture_on_commit_callbacks):
    data = repeated_rows_xlsx(HEADER, ["appraisal", "Sở Tài chính", "TĐ-7", "Thẩm định", "20/01/2020"], 60_000)
    assert len(data) < 2_000_000  # well under the 10 MB upload limit, the only bound before
    page = upload(client_for("officer"), data, django_capture_on_commit_callbacks)
    assert "bảng tính có ít nhất 60.001 dòng, vượt giới hạn 50.000 dòng của loại tệp này" in page
    assert not Dossier.objects.exists()


def test_an_xlsx_inflating_far_beyond_its_size_is_refused(client_for, personas, django_capture_on_commit_callbacks):
    data = inflating_zip("hs.xlsx", "xl/worksheets/sheet1.xml", 8 * 1024 * 1024)
    page = upload(client_for("officer"), data, django_capture_on_commit_callbacks)
    assert "bị nén" in page and "vượt giới hạn 200 lần" in page
