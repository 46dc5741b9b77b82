"""Issue 12: stored attachments are checked by their content and size (reports and petitions share one sniffer)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError

from dondoc.core.uploads import check_upload

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ACCEPT = {".pdf", ".docx", ".xlsx", ".doc", ".png", ".jpg", ".odt"}


def png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def docx() -> bytes:
    import docx as python_docx

    out = io.BytesIO()
    document = python_docx.Document()
    document.add_paragraph("Báo cáo tháng 9")
    document.save(out)
    return out.getvalue()


def test_real_files_pass_with_their_true_type():
    assert check_upload("bc.pdf", PDF, accept=ACCEPT, max_size=10**6) == "application/pdf"
    assert check_upload("anh.PNG", png(), accept=ACCEPT, max_size=10**6) == "image/png"
    assert check_upload("bc.docx", docx(), accept=ACCEPT, max_size=10**6).endswith("wordprocessingml.document")
    assert check_upload("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), accept=ACCEPT, max_size=10**6)


@pytest.mark.parametrize(("name", "data", "says"), [
    ("rong.pdf", b"", "rỗng"),
    ("trang.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "không đúng là tệp PDF"),
    ("lai.pdf", PDF[:9] + b"<html><body onload=alert(1)>", "mã trang web"),
    ("bc.docx", PDF, "không đúng là tệp DOCX"),  # a PDF renamed .docx
    ("bang.xlsx", b"PK\x03\x04data", "không đúng là tệp XLSX"),
    ("anh.jpg", png(), "không đúng là tệp JPG"),
    ("trang.html", b"<html>", "không được chấp nhận"),
    ("to.pdf", PDF + bytes(2000), "lớn hơn"),
])
def test_bad_files_are_refused_in_vietnamese(name, data, says):
    with pytest.raises(ValidationError) as exc:
        check_upload(name, data, accept=ACCEPT, max_size=1000)
    assert says in " ".join(exc.value.messages) and name in " ".join(exc.value.messages)
