"""Conversions that need an outside program: LibreOffice for old Word/OpenDocument files, poppler's pdftotext
for text PDFs. The only place besides ``pdf.py`` that starts a subprocess; the pure program reader
(``domain/program_reader.py``) receives these functions from its adapter (``programs/services.py``).

Failures raise ``ConversionError`` with a one-line message the reader shows after the file name.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .pdf import soffice


class ConversionError(RuntimeError):
    """The outside program is missing or failed. The message is one line."""


def office_to_docx(path: Path) -> bytes:
    """A .doc/.odt/.rtf file as .docx bytes, through LibreOffice."""
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
            subprocess.run(cmd, capture_output=True, timeout=180, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError("LibreOffice conversion timed out") from exc
        out = Path(tmp, path.stem + ".docx")
        if not out.exists():
            raise ConversionError("LibreOffice could not convert it")
        return out.read_bytes()


def pdf_pages(path: Path) -> list[str] | None:
    """The text of each page of a PDF through pdftotext; None when pdftotext is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=120,
                          check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConversionError(message[0] if message else "pdftotext failed")
    return done.stdout.decode("utf-8", "replace").split("\f")
