"""`dondoc program parse` and the upload on /programs/ refuse what is not a document, and a document holding no
task, with a Vietnamese sentence (issue 12: random bytes named .docx/.pdf parsed to 0 tasks with exit 0)."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from dondoc.programs.models import ProgramImport

from ..importers.bombs import docx

DONDOC = str(Path(sys.executable).with_name("dondoc"))
RANDOM = os.urandom(4096).replace(b"PK", b"pk").replace(b"%PDF", b"%pdf")


def parse_cli(tmp_path, path):
    return subprocess.run([DONDOC, "program", "parse", str(path)], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "DONDOC_DEBUG": "1",
                               "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}, timeout=60)


def parse(path) -> str:
    """`program parse` in this process: the message of its exit 1."""
    with pytest.raises(CommandError) as caught, translation.override("vi"):  # the CLI's language (LANGUAGE_CODE)
        call_command("program", "parse", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 1
    return str(caught.value)


def test_random_bytes_named_docx_exit_1_with_a_vietnamese_reason(tmp_path):
    path = tmp_path / "random.docx"
    path.write_bytes(RANDOM)
    out = parse_cli(tmp_path, path)
    assert (out.returncode, out.stdout) == (1, "")
    assert out.stderr.strip().endswith("random.docx: tệp không đọc được: không phải tệp .docx (Word) hợp lệ")


@pytest.mark.parametrize(("name", "reason"), [
    ("random.pdf", "không phải tệp PDF hợp lệ"),
    ("random.doc", "không phải tệp Word (.doc) hợp lệ"),
])
def test_random_bytes_named_pdf_or_doc(reference, tmp_path, name, reason):
    path = tmp_path / name
    path.write_bytes(RANDOM)
    assert parse(path).endswith(f"{name}: tệp không đọc được: {reason}")


def test_a_readable_document_without_tasks_exits_1_saying_so(reference, tmp_path):
    path = tmp_path / "letter.docx"
    path.write_bytes(docx(3, "Kính gửi các sở, ban, ngành"))
    assert "không tìm thấy nhiệm vụ nào" in parse(path)


def test_a_docx_with_too_many_paragraphs_is_refused(reference, tmp_path):
    path = tmp_path / "many.docx"
    path.write_bytes(docx(25_000, "x"))
    assert "văn bản có ít nhất 25.000 đoạn, vượt giới hạn 20.000 đoạn" in parse(path)


def test_upload_of_random_bytes_or_no_task_is_refused(client_for, reference, django_capture_on_commit_callbacks):
    c = client_for("admin")

    def upload(data):  # the job runs after the upload's commit; its page says how it ended
        with django_capture_on_commit_callbacks(execute=True):
            r = c.post("/programs/", {"file": SimpleUploadedFile("p.docx", data)})
        return c.get(r["Location"]).text

    page = upload(RANDOM)
    assert "không phải tệp .docx (Word) hợp lệ" in page
    page = upload(docx(3, "Kính gửi"))
    assert "không tìm thấy nhiệm vụ nào" in page
    assert not ProgramImport.objects.exists()
