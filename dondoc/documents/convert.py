"""Conversions that need an outside program: LibreOffice for old Word/OpenDocument files, poppler's pdftotext
for text PDFs. The only place besides ``pdf.py`` that starts a subprocess; the pure program reader
(``domain/program_reader.py``) receives these functions from its adapter (``programs/services.py``).

Failures raise ``ConversionError`` with a one-line message the reader shows after the file name.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from dondoc.domain.bounds import LimitExceeded, Limits

from .pdf import soffice

DEFAULT = Limits()


class ConversionError(RuntimeError):
    """The outside program is missing or failed. The message is one line."""


def office_to_docx(path: Path, limits: Limits = DEFAULT) -> bytes:
    """A .doc/.odt/.rtf file as .docx bytes, through LibreOffice, within ``limits.seconds``; the .docx it makes
    is bounded like any other (inflated size, paragraphs) by the reader."""
    exe = soffice()
    if not exe:
        raise ConversionError(
            f"converting {path.suffix or 'this'} files needs LibreOffice (soffice), which is not installed; "
            "save the file as .docx"
        )
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx", "--outdir", tmp,
               str(path)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=limits.seconds, check=False)
        except subprocess.TimeoutExpired as exc:
            raise LimitExceeded("seconds", limits.seconds, limits.seconds) from exc
        out = Path(tmp, path.stem + ".docx")
        if not out.exists():
            raise ConversionError("LibreOffice could not convert it")
        if out.stat().st_size > limits.inflated_bytes:
            raise LimitExceeded("inflated_bytes", limits.inflated_bytes, out.stat().st_size)
        return out.read_bytes()


def pdf_pages(path: Path, limits: Limits = DEFAULT) -> list[str] | None:
    """The text of each page of a PDF through pdftotext; None when pdftotext is not installed.

    Bounded: at most ``limits.text_bytes`` of text (read as it comes, the program stopped beyond) and
    ``limits.seconds``; LimitExceeded otherwise."""
    if shutil.which("pdftotext") is None:
        return None
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(["pdftotext", "-enc", "UTF-8", str(path), "-"], stdout=subprocess.PIPE,
                                stderr=errors)
        late: list[bool] = []
        timer = threading.Timer(limits.seconds, lambda: (late.append(True), proc.kill()))
        timer.start()
        chunks, size = [], 0
        try:
            while chunk := proc.stdout.read(1 << 16):
                size += len(chunk)
                if size > limits.text_bytes:
                    proc.kill()
                    raise LimitExceeded("text_bytes", limits.text_bytes, size)
                chunks.append(chunk)
            code = proc.wait()
        finally:
            timer.cancel()
            proc.stdout.close()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        if late:
            raise LimitExceeded("seconds", limits.seconds, limits.seconds)
        if code != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise ConversionError(message[0] if message else "pdftotext failed")
    return b"".join(chunks).decode("utf-8", "replace").split("\f")
